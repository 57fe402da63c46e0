package estate

import (
	"encoding/base32"
	"testing"
	"time"

	"github.com/pquerna/otp"
)

// The test vectors of RFC 6238, appendix B: 8-digit codes for three HMAC
// algorithms at six times.
// https://www.rfc-editor.org/rfc/rfc6238#appendix-B
func TestTOTPRFC6238Vectors(t *testing.T) {
	t.Parallel()
	seeds := map[otp.Algorithm]string{
		otp.AlgorithmSHA1:   "12345678901234567890",
		otp.AlgorithmSHA256: "12345678901234567890123456789012",
		otp.AlgorithmSHA512: "1234567890123456789012345678901234567890123456789012345678901234",
	}
	vectors := []struct {
		unix int64
		alg  otp.Algorithm
		want string
	}{
		{59, otp.AlgorithmSHA1, "94287082"}, {59, otp.AlgorithmSHA256, "46119246"}, {59, otp.AlgorithmSHA512, "90693936"},
		{1111111109, otp.AlgorithmSHA1, "07081804"}, {1111111109, otp.AlgorithmSHA256, "68084774"}, {1111111109, otp.AlgorithmSHA512, "25091201"},
		{1111111111, otp.AlgorithmSHA1, "14050471"}, {1111111111, otp.AlgorithmSHA256, "67062674"}, {1111111111, otp.AlgorithmSHA512, "99943326"},
		{1234567890, otp.AlgorithmSHA1, "89005924"}, {1234567890, otp.AlgorithmSHA256, "91819424"}, {1234567890, otp.AlgorithmSHA512, "93441116"},
		{2000000000, otp.AlgorithmSHA1, "69279037"}, {2000000000, otp.AlgorithmSHA256, "90698825"}, {2000000000, otp.AlgorithmSHA512, "38618901"},
		{20000000000, otp.AlgorithmSHA1, "65353130"}, {20000000000, otp.AlgorithmSHA256, "77737706"}, {20000000000, otp.AlgorithmSHA512, "47863826"},
	}
	for _, v := range vectors {
		seed := base32.StdEncoding.EncodeToString([]byte(seeds[v.alg]))
		got, err := totpCode(seed, time.Unix(v.unix, 0).UTC(), otp.DigitsEight, v.alg)
		if err != nil || got != v.want {
			t.Errorf("TOTP(%s, %d) = %s, %v; want %s", v.alg, v.unix, got, err, v.want)
		}
	}
}

func TestVerifyMFA(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 6, 1, 12, 0, 10, 0, time.UTC)
	newWorld := func() (*Estate, *Identity, string) {
		e := New()
		if _, err := e.AddAccount("222222222222"); err != nil {
			t.Fatal(err)
		}
		u, _ := e.CreateUser("222222222222", "bob", "/")
		d, _ := e.CreateVirtualMFADevice("222222222222", "bob")
		c1, _ := d.Code(at.Add(-120 * time.Second))
		c2, _ := d.Code(at.Add(-90 * time.Second))
		if err := e.EnableMFADevice("222222222222", "bob", MFADeviceARN("222222222222", "bob"), c1, c2, at); err != nil {
			t.Fatal(err)
		}
		return e, userIdentity("222222222222", "bob", u), MFADeviceARN("222222222222", "bob")
	}
	code := func(e *Estate, when time.Time) string {
		c, _ := e.Accounts["222222222222"].MFADevices["bob"].Code(when)
		return c
	}
	tests := []struct {
		name  string
		code  func(e *Estate) string
		twice bool
		want  string // message; "" for success
	}{
		{"current code", func(e *Estate) string { return code(e, at) }, false, ""},
		{"previous step, for clock drift", func(e *Estate) string { return code(e, at.Add(-30*time.Second)) }, false, ""},
		{"next step", func(e *Estate) string { return code(e, at.Add(30*time.Second)) }, false, ""},
		{"stale code a minute old", func(e *Estate) string { return code(e, at.Add(-time.Minute)) }, false, "MultiFactorAuthentication failed with invalid MFA one time pass code. "},
		{"wrong code", func(e *Estate) string { return "000000" }, false, "MultiFactorAuthentication failed with invalid MFA one time pass code. "},
		{"a code used to enable the device", func(e *Estate) string { return code(e, at.Add(-90*time.Second)) }, false, "MultiFactorAuthentication failed with invalid MFA one time pass code. "},
		{"the same code twice", func(e *Estate) string { return code(e, at) }, true, "MultiFactorAuthentication failed with invalid MFA one time pass code. "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, id, serial := newWorld()
			c := tc.code(e)
			err := e.VerifyMFA(id, serial, c, at)
			if tc.twice && err == nil {
				err = e.VerifyMFA(id, serial, c, at)
			}
			got := ""
			if err != nil {
				got = err.(*Error).Message
			}
			if got != tc.want {
				t.Errorf("VerifyMFA(%s) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
	e, id, _ := newWorld()
	if err := e.VerifyMFA(id, MFADeviceARN("222222222222", "alice"), code(e, at), at); err == nil ||
		err.(*Error).Message != "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user." {
		t.Errorf("a device that is not the user's: %v", err)
	}
}
