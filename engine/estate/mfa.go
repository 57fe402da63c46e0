package estate

import (
	"crypto/subtle"
	"encoding/base32"
	"net/http"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP as virtual MFA devices use it: RFC 6238 with 30-second steps,
// six digits and HMAC-SHA1.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html
const (
	totpPeriod = 30
	// totpSkew accepts the code of the step before and after the current
	// one, for clocks that drift.
	totpSkew = 1
)

func decodeSeed(seed string) ([]byte, error) {
	s := strings.ToUpper(strings.TrimRight(strings.ReplaceAll(seed, " ", ""), "="))
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
}

// totpCode is the code of seed for the time step holding t.
func totpCode(seed string, t time.Time, digits otp.Digits, alg otp.Algorithm) (string, error) {
	return totp.GenerateCodeCustom(seed, t, totp.ValidateOpts{Period: totpPeriod, Digits: digits, Algorithm: alg})
}

// Code returns the code the device shows at time t, as the learner's
// authenticator app would.
func (d *MFADevice) Code(t time.Time) (string, error) {
	return totpCode(d.Seed, t, otp.DigitsSix, otp.AlgorithmSHA1)
}

// MFADevice returns the virtual MFA device with a serial number
// (arn:aws:iam::ACCOUNT:mfa/NAME), or nil.
func (e *Estate) MFADevice(serial string) (account, name string, d *MFADevice) {
	parts, ok := splitARN(serial)
	if !ok || parts[2] != "iam" {
		return "", "", nil
	}
	name, ok = strings.CutPrefix(parts[5], "mfa/")
	a := e.account(parts[4])
	if !ok || a == nil {
		return "", "", nil
	}
	return parts[4], name, a.MFADevices[name]
}

// mfaUnknownDevice and mfaBadCode are AWS's two MFA failures: a serial
// number that is not the caller's device, and a code that is wrong, stale
// or already used.
func mfaUnknownDevice() *Error {
	return accessDenied("MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.")
}

func mfaBadCode() *Error {
	return accessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code. ")
}

// VerifyMFA checks an MFA code for the caller at time now: the device must
// be assigned to the calling user (or root user), the code must be the
// device's code for the current 30-second step or a neighbouring one, and
// newer than the last code accepted. A code is good only once.
func (e *Estate) VerifyMFA(id *Identity, serial, code string, now time.Time) error {
	acct, _, d := e.MFADevice(serial)
	owner := id.UserName
	if id.Kind == KindRoot {
		owner = "root"
	}
	if d == nil || acct != id.Account || owner == "" || d.AssignedTo != owner || (id.Kind != KindUser && id.Kind != KindRoot) {
		return mfaUnknownDevice()
	}
	step := now.Unix() / totpPeriod
	for s := step - totpSkew; s <= step+totpSkew; s++ {
		want, err := totpCode(d.Seed, time.Unix(s*totpPeriod, 0), otp.DigitsSix, otp.AlgorithmSHA1)
		if err != nil {
			return mfaUnknownDevice()
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			if s <= d.LastStep {
				err := mfaBadCode()
				err.Detail = "this code was already used: AWS accepts each code once"
				return err
			}
			d.LastStep = s
			return nil
		}
	}
	err := mfaBadCode()
	err.Detail = "the code is not the device's code for the current 30-second step or the one before or after"
	return err
}

// CreateVirtualMFADevice makes a virtual MFA device with a fresh seed.
func (e *Estate) CreateVirtualMFADevice(account, name string) (*MFADevice, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return nil, err
	}
	if a.MFADevices[name] != nil {
		return nil, newError(CodeEntityAlreadyExists, http.StatusConflict, "MFADevice entity at the same path and name already exists.")
	}
	d := &MFADevice{Seed: base32.StdEncoding.EncodeToString(e.random("mfa", mfaSeedBytes))}
	if a.MFADevices == nil {
		a.MFADevices = map[string]*MFADevice{}
	}
	a.MFADevices[name] = d
	return d, nil
}

// EnableMFADevice assigns a virtual device to a user ("root" for the root
// user) once it shows two consecutive codes, as IAM requires.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableMFADevice.html
func (e *Estate) EnableMFADevice(account, user, serial, code1, code2 string, now time.Time) error {
	acct, _, d := e.MFADevice(serial)
	if d == nil || acct != account {
		return noSuchEntity("VirtualMFADevice with serial number " + serial + " doesn't exist.")
	}
	if user != "root" && e.User(account, user) == nil {
		return noSuchEntity("The user with name " + user + " cannot be found.")
	}
	if d.AssignedTo != "" {
		return newError(CodeEntityAlreadyExists, http.StatusConflict, "MFA Device is already in use.")
	}
	step := now.Unix() / totpPeriod
	// The two codes may be a couple of minutes old: typing them takes time.
	for s := step - 4; s <= step; s++ {
		c1, _ := totpCode(d.Seed, time.Unix(s*totpPeriod, 0), otp.DigitsSix, otp.AlgorithmSHA1)
		c2, _ := totpCode(d.Seed, time.Unix((s+1)*totpPeriod, 0), otp.DigitsSix, otp.AlgorithmSHA1)
		if c1 == code1 && c2 == code2 {
			d.AssignedTo, d.LastStep = user, s+1
			return nil
		}
	}
	return newError("InvalidAuthenticationCode", http.StatusForbidden, "Authentication code for device is not valid.")
}
