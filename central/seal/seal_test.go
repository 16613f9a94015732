package seal

import (
	"bytes"
	"testing"
)

func kek(t *testing.T) *LocalKEK {
	t.Helper()
	txt, err := NewKEKText()
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParseKEK(txt)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSealOpenRewrap: a sealed value opens only with its additional data
// and unaltered; after a re-wrap to a new KEK and a new data key, old
// values still open, the old KEK no longer opens the stored keys, and the
// blind hash is unchanged.
func TestSealOpenRewrap(t *testing.T) {
	k1 := kek(t)
	kr, st, err := New(k1)
	if err != nil {
		t.Fatal(err)
	}
	pt, ad := []byte("Child's name"), []byte("revision\x00e1\x001")
	ct, err := kr.Seal(pt, ad)
	if err != nil || bytes.Contains(ct, pt) || !IsSealed(ct) || len(ct) != len(pt)+Overhead {
		t.Fatalf("seal: %v %q", err, ct)
	}
	if got, err := kr.Open(ct, ad); err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("open: %v %q", err, got)
	}
	if _, err := kr.Open(ct, []byte("revision\x00e2\x001")); err == nil {
		t.Error("opened with another row's additional data")
	}
	bad := append([]byte{}, ct...)
	bad[len(bad)-1] ^= 1
	if _, err := kr.Open(bad, ad); err == nil {
		t.Error("opened an altered value")
	}
	blind := kr.Blind([]byte("smith"))

	k2 := kek(t)
	enc, _ := st.Marshal()
	st2, err := Unmarshal(enc)
	if err != nil {
		t.Fatal(err)
	}
	re, err := Rewrap(st2, k1, k2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(k1, re); err == nil {
		t.Error("the old KEK opens the re-wrapped keys")
	}
	if _, err := Rewrap(st2, k2, k1); err == nil {
		t.Error("re-wrap with the wrong old KEK succeeded")
	}
	kr2, err := Open(k2, re)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := kr2.Open(ct, ad); err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("open after re-wrap: %v", err)
	}
	if !bytes.Equal(kr2.Blind([]byte("smith")), blind) {
		t.Error("the blind hash changed with the re-wrap")
	}
	if _, err := kr2.AddDataKey(k2); err != nil {
		t.Fatal(err)
	}
	ct2, _ := kr2.Seal(pt, ad)
	if bytes.Equal(ct2[:headerLen], ct[:headerLen]) {
		t.Error("the new data key is not used")
	}
	if got, err := kr2.Open(ct, ad); err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("an old value after a new data key: %v", err)
	}
}

func TestParseKEKRefusesJunk(t *testing.T) {
	for _, s := range []string{"", "not base64!", "c2hvcnQ="} {
		if _, err := ParseKEK(s); err == nil {
			t.Errorf("ParseKEK(%q) accepted", s)
		} else if s != "" && bytes.Contains([]byte(err.Error()), []byte(s)) {
			t.Errorf("the error repeats the secret: %v", err)
		}
	}
}
