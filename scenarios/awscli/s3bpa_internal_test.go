package awscli

import "testing"

// FuzzPublicAccessBlock: --public-access-block-configuration, JSON or
// shorthand, never panics and never fails without saying why.
func FuzzPublicAccessBlock(f *testing.F) {
	f.Add(`BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`)
	f.Add(`{"BlockPublicPolicy":true}`)
	f.Add(`RestrictPublicBuckets=yes`)
	f.Fuzz(func(t *testing.T, v string) {
		if _, err := parsePublicAccessBlock(v); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
	})
}

func TestParsePublicAccessBlock(t *testing.T) {
	t.Parallel()
	p, err := parsePublicAccessBlock("BlockPublicPolicy=true,RestrictPublicBuckets=false")
	if err != nil || !p.BlockPublicPolicy || p.RestrictPublicBuckets || p.BlockPublicAcls {
		t.Errorf("parsePublicAccessBlock(shorthand) = %+v, %v", p, err)
	}
	if p, err := parsePublicAccessBlock(`{"RestrictPublicBuckets": true}`); err != nil || !p.RestrictPublicBuckets {
		t.Errorf("parsePublicAccessBlock(JSON) = %+v, %v", p, err)
	}
	for _, bad := range []string{"BlockPublicPolicy=yes", `{"Other": true}`, "Restrict=true"} {
		if _, err := parsePublicAccessBlock(bad); err == nil {
			t.Errorf("parsePublicAccessBlock(%q) accepted it", bad)
		}
	}
}
