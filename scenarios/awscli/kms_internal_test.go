package awscli

import "testing"

// FuzzKMSMaps: --encryption-context and --constraints, in JSON or
// shorthand, never panic and never fail without saying why.
func FuzzKMSMaps(f *testing.F) {
	f.Add(`Department=IT,Year=2026`)
	f.Add(`{"Department":"IT"}`)
	f.Add(`EncryptionContextSubset={Department=IT}`)
	f.Add(`{"EncryptionContextEquals":{"a":"b"}}`)
	f.Fuzz(func(t *testing.T, v string) {
		if _, err := parseStringMap("encryption-context", v); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
		if _, err := parseConstraints(v); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
	})
}

func TestKMSMaps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     map[string]string
		ok       bool
	}{
		{"shorthand", "Department=IT,Year=2026", map[string]string{"Department": "IT", "Year": "2026"}, true},
		{"json keeps case", `{"department":"IT"}`, map[string]string{"department": "IT"}, true},
		{"no equals", "Department", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseStringMap("encryption-context", tc.in)
			if (err == nil) != tc.ok || len(got) != len(tc.want) {
				t.Fatalf("parseStringMap(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("parseStringMap(%q)[%s] = %q, want %q", tc.in, k, got[k], v)
				}
			}
		})
	}
	c, err := parseConstraints("EncryptionContextSubset={Department=IT},EncryptionContextEquals={a=b}")
	if err != nil || c.EncryptionContextSubset["Department"] != "IT" || c.EncryptionContextEquals["a"] != "b" {
		t.Errorf("parseConstraints(two shorthand constraints) = %+v, %v", c, err)
	}
	if _, err := parseConstraints("Other={a=b}"); err == nil {
		t.Error("parseConstraints accepted an unknown constraint")
	}
}
