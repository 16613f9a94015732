package http_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/safeguard-uk/safeguard/central/centraltest"
	centralhttp "github.com/safeguard-uk/safeguard/central/http"
)

const specPath = "../../api/openapi.yaml"

var (
	specOnce sync.Once
	spec     *openapi3.T
	specErr  error
)

func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	specOnce.Do(func() {
		for _, mt := range []string{"image/jpeg", "image/png", "image/heic", "image/webp", "video/mp4", "application/offset+octet-stream", "application/pdf"} {
			openapi3filter.RegisterBodyDecoder(mt, openapi3filter.FileBodyDecoder)
		}
		l := openapi3.NewLoader()
		spec, specErr = l.LoadFromFile(specPath)
		if specErr == nil {
			specErr = spec.Validate(context.Background())
		}
	})
	if specErr != nil {
		t.Fatalf("api/openapi.yaml: %v", specErr)
	}
	return spec
}

// validatingTransport checks every real response against the OpenAPI
// document: the route must be documented, the status declared, the body
// match its schema.
type validatingTransport struct {
	t      testing.TB
	router routers.Router
	// strict also checks each request against the document (for tests
	// that send only well-formed requests, as a real client would).
	strict bool
}

func validatingClient(t testing.TB) *http.Client {
	doc := loadSpec(t)
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Transport: &validatingTransport{t: t, router: r}}
}

// strictClient is validatingClient that also checks requests.
func strictClient(t testing.TB) *http.Client {
	c := validatingClient(t)
	c.Transport.(*validatingTransport).strict = true
	return c
}

// undocumented marks a request that deliberately uses a route the document
// does not describe (an unknown path).
const undocumented = "X-Test-Undocumented"

func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	skip := req.Header.Get(undocumented) != ""
	req.Header.Del(undocumented)
	if v.strict && !skip {
		v.checkRequest(req)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || skip {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		v.t.Errorf("OpenAPI: %s %s is not documented: %v", req.Method, req.URL.Path, err)
		return resp, nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		v.t.Errorf("OpenAPI: %s %s -> %d does not match the document: %v\nbody: %.500s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	return resp, nil
}

func (v *validatingTransport) checkRequest(req *http.Request) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		v.t.Errorf("OpenAPI: %s %s is not documented: %v", req.Method, req.URL.Path, err)
		return
	}
	check := req.Clone(req.Context())
	check.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		v.t.Errorf("OpenAPI: request %s %s does not match the document: %v", req.Method, req.URL.Path, err)
	}
}

// startValidated starts a server whose test clients check responses.
func startValidated(t *testing.T, backend string, opts ...centraltest.Option) (string, *centraltest.Server) {
	t.Helper()
	loadSpec(t)
	return centraltest.Start(t, backend, opts...)
}

// TestEveryRouteDocumented checks the route table and the document agree.
func TestEveryRouteDocumented(t *testing.T) {
	doc := loadSpec(t)
	seen := map[string]bool{}
	for _, rt := range centralhttp.Routes() {
		item := doc.Paths.Find(rt.Pattern)
		if item == nil {
			t.Errorf("%s %s: no path in api/openapi.yaml", rt.Method, rt.Pattern)
			continue
		}
		if item.GetOperation(rt.Method) == nil {
			t.Errorf("%s %s: method not in api/openapi.yaml", rt.Method, rt.Pattern)
		}
		seen[rt.Method+" "+rt.Pattern] = true
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !seen[strings.ToUpper(method)+" "+path] {
				t.Errorf("api/openapi.yaml documents %s %s, which the server does not serve", method, path)
			}
		}
	}
}
