package seal

import (
	"bytes"
	"testing"
)

// FuzzOpen: any bytes given to Open are refused or, if they are a real
// sealed value, opened to what was sealed; never a panic.
func FuzzOpen(f *testing.F) {
	txt, _ := NewKEKText()
	k, _ := ParseKEK(txt)
	kr, _, err := New(k)
	if err != nil {
		f.Fatal(err)
	}
	good, _ := kr.Seal([]byte("a child's words"), []byte("ad"))
	f.Add(good, []byte("ad"))
	f.Add([]byte("SG\x01\x00\x00\x00\x01short"), []byte(""))
	f.Add([]byte{}, []byte("ad"))
	f.Fuzz(func(t *testing.T, ct, ad []byte) {
		pt, err := kr.Open(ct, ad)
		if err == nil && !(bytes.Equal(ct, good) && bytes.Equal(ad, []byte("ad")) && string(pt) == "a child's words") {
			t.Fatalf("opened a value this keyring never sealed: %q", pt)
		}
	})
}

// FuzzUnmarshal: a damaged stored keyring is refused, never a panic.
func FuzzUnmarshal(f *testing.F) {
	txt, _ := NewKEKText()
	k, _ := ParseKEK(txt)
	_, st, _ := New(k)
	enc, _ := st.Marshal()
	f.Add(enc)
	f.Add(`{"kek":"x","current":1,"keys":{"1":"AAAA"},"blind":""}`)
	f.Fuzz(func(t *testing.T, s string) {
		st, err := Unmarshal(s)
		if err != nil {
			return
		}
		_, _ = Open(k, st)
	})
}
