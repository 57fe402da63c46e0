package awscli

import (
	"encoding/json"
	"fmt"
	"strings"

	"iamlab/engine/estate"
)

// S3 Block Public Access in the sandbox (issue 11, piece 4, in part).
// https://docs.aws.amazon.com/cli/latest/reference/s3api/put-public-access-block.html

// parsePublicAccessBlock reads --public-access-block-configuration: JSON
// ({"BlockPublicPolicy":true,...}) or shorthand
// (BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true).
func parsePublicAccessBlock(v string) (estate.PublicAccessBlock, error) {
	var out estate.PublicAccessBlock
	fields := map[string]*bool{"BlockPublicAcls": &out.BlockPublicAcls, "IgnorePublicAcls": &out.IgnorePublicAcls,
		"BlockPublicPolicy": &out.BlockPublicPolicy, "RestrictPublicBuckets": &out.RestrictPublicBuckets}
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "{") {
		var m map[string]bool
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			return out, fmt.Errorf("--public-access-block-configuration: %q is not JSON of four booleans: %w", v, err)
		}
		for k, b := range m {
			p, ok := fields[k]
			if !ok {
				return out, fmt.Errorf("--public-access-block-configuration: unknown setting %q; the settings are BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets", k)
			}
			*p = b
		}
		return out, nil
	}
	for _, kv := range strings.Split(v, ",") {
		k, val, _ := strings.Cut(kv, "=")
		p, ok := fields[k]
		if !ok || (val != "true" && val != "false") {
			return out, fmt.Errorf("--public-access-block-configuration: expected SETTING=true|false pairs (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets), not %q", kv)
		}
		*p = val == "true"
	}
	return out, nil
}

func bpaJSON(p estate.PublicAccessBlock) map[string]bool {
	return map[string]bool{"BlockPublicAcls": p.BlockPublicAcls, "IgnorePublicAcls": p.IgnorePublicAcls,
		"BlockPublicPolicy": p.BlockPublicPolicy, "RestrictPublicBuckets": p.RestrictPublicBuckets}
}

func putPublicAccessBlock(account bool) func(e *Env, r *Result, caller estate.Caller, c *Command) {
	return func(e *Env, r *Result, caller estate.Caller, c *Command) {
		cfg, err := parsePublicAccessBlock(c.Arg("public-access-block-configuration"))
		if err != nil {
			r.Code, r.Message = "ParamValidation", err.Error()
			return
		}
		var d *estate.Decision
		if account {
			d, err = e.Estate.PutAccountPublicAccessBlock(e.call(caller), c.Arg("account-id"), cfg)
		} else {
			d, err = e.Estate.PutPublicAccessBlock(e.call(caller), c.Arg("bucket"), cfg)
		}
		r.decided(d, err, "PutPublicAccessBlock")
	}
}

func getPublicAccessBlock(e *Env, r *Result, caller estate.Caller, c *Command) {
	p, d, err := e.Estate.GetPublicAccessBlock(e.call(caller), c.Arg("bucket"))
	if !r.decided(d, err, "GetPublicAccessBlock") {
		return
	}
	r.Succeed(map[string]any{"PublicAccessBlockConfiguration": bpaJSON(*p)})
}

func putBucketPolicy(e *Env, r *Result, caller estate.Caller, c *Command) {
	d, err := e.Estate.PutBucketPolicyAs(e.call(caller), c.Arg("bucket"), c.Arg("policy"))
	r.decided(d, err, "PutBucketPolicy")
}

// s3RequestKeys puts the condition keys that an S3 request's own headers
// and parameters carry into its context: s3:x-amz-acl,
// s3:x-amz-server-side-encryption (and the KMS key ID) on PutObject,
// s3:delimiter and s3:max-keys on ListObjectsV2. A key is present only
// when the request sends it.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys
func s3RequestKeys(call *estate.Call, c *Command) {
	keys := map[string]string{"acl": "s3:x-amz-acl", "server-side-encryption": "s3:x-amz-server-side-encryption",
		"ssekms-key-id": "s3:x-amz-server-side-encryption-aws-kms-key-id", "delimiter": "s3:delimiter", "max-keys": "s3:max-keys"}
	for opt, key := range keys {
		if c.Has(opt) {
			if call.Context == nil {
				call.Context = map[string][]string{}
			}
			call.Context.Set(key, c.Arg(opt))
		}
	}
}
