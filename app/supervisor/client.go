package supervisor

import (
	"context"
	"errors"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/internal/apicall"
)

// Namespaces of the reviewers' routes: supervisors review live entries
// under /v1/review, trainers review training entries under /v1/training.
const (
	Live     = "review"
	Training = "training"
)

// DefaultTimeout bounds each call to the central system.
const DefaultTimeout = 30 * time.Second

// Reviewer is what the supervisor's screens need of the central system.
// *Client satisfies it.
type Reviewer interface {
	Login(ctx context.Context, username, password string) (api.LoginResponse, error)
	Logout(ctx context.Context) error
	Queue(ctx context.Context) (api.QueueResponse, error)
	Open(ctx context.Context, entryID string, revision int) (api.EntryView, error)
	Approve(ctx context.Context, entryID string, revision int) (api.DecisionResponse, error)
	Return(ctx context.Context, entryID string, req api.ReturnRequest) (api.DecisionResponse, error)
	Grade(ctx context.Context, entryID string, req api.GradeRequest) (api.DecisionResponse, error)
}

var _ Reviewer = (*Client)(nil)

// Client calls the central system's reviewer API with the wire types. It
// sends the wire version on every request and the session token once
// signed in. It is safe for concurrent use.
type Client struct {
	// Base is the central system's address, e.g. https://central:8443.
	Base string
	// Namespace is Live (supervisors) or Training (trainers); Live when
	// empty.
	Namespace string
	// HTTP is the client used (one with DefaultTimeout when nil).
	HTTP *http.Client

	mu    sync.Mutex
	token string
}

// NewClient returns a client for the central system at base.
func NewClient(base, namespace string) *Client {
	return &Client{Base: strings.TrimRight(base, "/"), Namespace: namespace, HTTP: &http.Client{Timeout: DefaultTimeout}}
}

// Error is a refusal or failure, with a message in plain words for the
// screen.
type Error struct {
	// Status is the HTTP status (0 when the server was not reached).
	Status int
	// Code is the server's error code (api.Code...), or "offline".
	Code string
	// Message is the user's words in English, the key of their translation
	// (Words says them in the app's language).
	Message string
	// Detail is the server's own words, shown as written after Message.
	Detail string
	Err    error
}

// Words is the error in the app's language, for the screen.
func (e *Error) Words() string {
	s := lang.L(e.Message, map[string]any{"Status": e.Status})
	if e.Detail != "" {
		s += " " + e.Detail
	}
	return s
}

func (e *Error) Error() string {
	s := strings.ReplaceAll(e.Message, "{{.Status}}", strconv.Itoa(e.Status))
	if e.Detail != "" {
		s += " " + e.Detail
	}
	return s
}
func (e *Error) Unwrap() error { return e.Err }

// CodeOffline is Error.Code when the central system could not be reached.
const CodeOffline = "offline"

// Token returns the session token ("" before Login).
func (c *Client) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// Login signs a reviewer in (POST /v1/login) and keeps the session token.
func (c *Client) Login(ctx context.Context, username, password string) (api.LoginResponse, error) {
	var out api.LoginResponse
	err := c.do(ctx, http.MethodPost, "/v1/login", api.LoginRequest{Username: strings.TrimSpace(username), Password: password}, &out)
	var e *Error
	if errors.As(err, &e) && e.Status == http.StatusUnauthorized {
		e.Message = "The user name or password is wrong."
	}
	if err != nil {
		return out, err
	}
	c.mu.Lock()
	c.token = out.Token
	c.mu.Unlock()
	return out, nil
}

// Logout ends the session (POST /v1/logout) and forgets the token.
func (c *Client) Logout(ctx context.Context) error {
	if c.Token() == "" {
		return nil
	}
	err := c.do(ctx, http.MethodPost, "/v1/logout", struct{}{}, nil)
	c.mu.Lock()
	c.token = ""
	c.mu.Unlock()
	return err
}

func (c *Client) ns() string {
	if c.Namespace == "" {
		return Live
	}
	return c.Namespace
}

// Queue lists the entries awaiting review, most serious first, then by
// deadline (GET /v1/{namespace}/queue).
func (c *Client) Queue(ctx context.Context) (api.QueueResponse, error) {
	var out api.QueueResponse
	err := c.do(ctx, http.MethodGet, "/v1/"+c.ns()+"/queue", nil, &out)
	return out, err
}

// Open returns an entry as a reviewer sees it (revision 0: the current
// one). The central system audits every open.
func (c *Client) Open(ctx context.Context, entryID string, revision int) (api.EntryView, error) {
	var out api.EntryView
	p := "/v1/" + c.ns() + "/entries/" + url.PathEscape(entryID)
	if revision > 0 {
		p += "?revision=" + strconv.Itoa(revision)
	}
	err := c.do(ctx, http.MethodGet, p, nil, &out)
	return out, err
}

// Approve approves the entry's current revision.
func (c *Client) Approve(ctx context.Context, entryID string, revision int) (api.DecisionResponse, error) {
	var out api.DecisionResponse
	err := c.do(ctx, http.MethodPost, "/v1/"+c.ns()+"/entries/"+url.PathEscape(entryID)+"/approve", api.ApproveRequest{Revision: revision}, &out)
	return out, err
}

// Return returns a revision to the officer with reasons.
func (c *Client) Return(ctx context.Context, entryID string, req api.ReturnRequest) (api.DecisionResponse, error) {
	var out api.DecisionResponse
	err := c.do(ctx, http.MethodPost, "/v1/"+c.ns()+"/entries/"+url.PathEscape(entryID)+"/return", req, &out)
	return out, err
}

// Grade changes the entry's grade (lowering needs a reason).
func (c *Client) Grade(ctx context.Context, entryID string, req api.GradeRequest) (api.DecisionResponse, error) {
	var out api.DecisionResponse
	err := c.do(ctx, http.MethodPost, "/v1/"+c.ns()+"/entries/"+url.PathEscape(entryID)+"/grade", req, &out)
	return out, err
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	r := apicall.Request{Method: method, URL: c.Base + path, Token: c.Token()}
	if in != nil {
		body, err := apicall.JSONBody(in)
		if err != nil {
			return &Error{Message: "Could not build the request.", Err: err}
		}
		r.Body, r.ContentType = body, api.MediaTypeJSON
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	resp, err := apicall.Do(ctx, hc, r)
	var te *apicall.TransportError
	switch {
	case errors.As(err, &te) && te.Reading:
		return &Error{Code: CodeOffline, Message: "The connection to the central system broke. Try again.", Err: te.Err}
	case errors.As(err, &te):
		msg := "Cannot reach the central system. Check the network and try again."
		if te.Timeout() {
			msg = "The central system took too long to answer. Try again."
		}
		return &Error{Code: CodeOffline, Message: msg, Err: te.Err}
	case err != nil:
		return &Error{Message: "The central system's address is not valid.", Err: err}
	}
	if !resp.OK() {
		return refusal(resp.Status, resp.Error)
	}
	if out == nil {
		return nil
	}
	if err := resp.Decode(out); err != nil {
		return &Error{Status: resp.Status, Message: "The central system's answer was garbled. Try again.", Err: err}
	}
	return nil
}

// refusal turns an error response into plain words.
func refusal(status int, we api.Error) error {
	e := &Error{Status: status, Code: we.Code, Err: fmt.Errorf("%d %s: %s", status, we.Code, we.Message)}
	switch {
	case status == http.StatusUpgradeRequired || we.Code == api.CodeUpgradeRequired:
		e.Message = "Update the app: the central system no longer accepts this version."
	case status == http.StatusUnauthorized:
		e.Message = "Your session has ended. Sign in again."
	case we.Code == api.CodeOwnEntry:
		e.Message = "You cannot review your own entry. Ask another supervisor."
	case status == http.StatusForbidden:
		e.Message = "Your account is not allowed to do this."
	case status == http.StatusNotFound:
		e.Message = "That entry is not there any more, or is not one of your teams'."
	case status == http.StatusConflict:
		e.Message = "Someone changed this entry meanwhile (a new revision or a decision). Open it again to see the latest."
		if we.Message != "" {
			e.Detail = "(" + we.Message + ")"
		}
	case status == http.StatusBadRequest && we.Message != "":
		e.Message, e.Detail = "The central system refused:", we.Message
	case status >= 500:
		e.Message = "The central system has a problem. Try again in a minute."
	default:
		e.Message, e.Detail = "The central system refused ({{.Status}}).", we.Message
	}
	return e
}
