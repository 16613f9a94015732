package people

// Sealer seals a person's particulars at rest and blinds the lookup keys
// derived from them. Seal and Open are an AEAD (additionalData is bound,
// not hidden); Blind is a keyed hash (an HMAC), the same for the same
// value under one key, so sealed records can still be found by their
// blocking keys without the keys telling a name or date. An index opened
// with a Sealer stores names, dates of birth, addresses and identifiers
// only sealed; without one it stores them plain.
type Sealer interface {
	Seal(plaintext, additionalData []byte) ([]byte, error)
	Open(ciphertext, additionalData []byte) ([]byte, error)
	Blind(value []byte) []byte
}
