package awscli

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"iamlab/engine/estate"
)

// Tagging commands. A tag request carries aws:RequestTag/KEY for each tag
// it sets and aws:TagKeys for every key it names, so policies can control
// who may tag what (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html#access_tags_control-requests).
// Once allowed, the tags reach every later request on the resource as
// aws:ResourceTag/KEY.

// tagWrite is a tagging command: it authorizes action on the resource
// target names, with the request's tag keys in the context, then runs do
// on that resource with the tags the request sets.
func tagWrite(service, op, action string, required []string, help string,
	target func(e *Env, caller estate.Caller, c *Command) string, do func(e *Env, c *Command, resource string, set []estate.Tag) error) Spec {
	return Spec{Service: service, Operation: op, Required: required, Help: help,
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			set, keys, err := requestTags(c)
			if err != nil {
				r.Code, r.Message = "ParamValidation", err.Error()
				return
			}
			call := e.call(caller)
			call.Context = map[string][]string{}
			for _, t := range set {
				call.Context.Set("aws:RequestTag/"+t.Key, t.Value)
			}
			if len(keys) > 0 {
				call.Context.Set("aws:TagKeys", keys...)
			}
			resource := target(e, caller, c)
			d := e.Estate.Authorize(call, action, resource)
			authorizeThen(r, d, OperationName(op), func() (any, error) { return nil, do(e, c, resource, set) })
			if d.Err != nil && service == "ec2" {
				r.Encoded = encodedMessage(r.Message)
			}
		}}
}

// tagSpecs are the tagging commands of IAM, S3, KMS and EC2.
func tagSpecs() []Spec {
	// RoleARN and UserARN read an empty path as "/".
	role := func(e *Env, caller estate.Caller, c *Command) string {
		var path string
		if ro := e.Estate.Role(e.Account, c.Arg("role-name")); ro != nil {
			path = ro.Path
		}
		return estate.RoleARN(e.Account, path, c.Arg("role-name"))
	}
	user := func(e *Env, caller estate.Caller, c *Command) string {
		var path string
		if u := e.Estate.User(e.Account, c.Arg("user-name")); u != nil {
			path = u.Path
		}
		return estate.UserARN(e.Account, path, c.Arg("user-name"))
	}
	return []Spec{
		tagWrite("iam", "tag-role", "iam:TagRole", []string{"role-name", "tags"}, "add or replace a role's tags (iam:TagRole)", role,
			func(e *Env, c *Command, _ string, set []estate.Tag) error {
				return e.Estate.TagRole(e.Account, c.Arg("role-name"), tagMap(set))
			}),
		tagWrite("iam", "untag-role", "iam:UntagRole", []string{"role-name", "tag-keys"}, "remove tags from a role (iam:UntagRole)", role,
			func(e *Env, c *Command, _ string, _ []estate.Tag) error {
				return e.Estate.UntagRole(e.Account, c.Arg("role-name"), list(c, "tag-keys"))
			}),
		tagWrite("iam", "tag-user", "iam:TagUser", []string{"user-name", "tags"}, "add or replace a user's tags (iam:TagUser)", user,
			func(e *Env, c *Command, _ string, set []estate.Tag) error {
				return e.Estate.TagUser(e.Account, c.Arg("user-name"), tagMap(set))
			}),
		tagWrite("iam", "untag-user", "iam:UntagUser", []string{"user-name", "tag-keys"}, "remove tags from a user (iam:UntagUser)", user,
			func(e *Env, c *Command, _ string, _ []estate.Tag) error {
				return e.Estate.UntagUser(e.Account, c.Arg("user-name"), list(c, "tag-keys"))
			}),
		// https://docs.aws.amazon.com/cli/latest/reference/s3api/put-bucket-tagging.html
		tagWrite("s3api", "put-bucket-tagging", "s3:PutBucketTagging", []string{"bucket", "tagging"}, "replace a bucket's tags (s3:PutBucketTagging)",
			func(e *Env, caller estate.Caller, c *Command) string { return "arn:aws:s3:::" + c.Arg("bucket") },
			func(e *Env, c *Command, _ string, set []estate.Tag) error {
				return e.Estate.PutBucketTagging(c.Arg("bucket"), set)
			}),
		// https://docs.aws.amazon.com/cli/latest/reference/kms/tag-resource.html
		tagWrite("kms", "tag-resource", "kms:TagResource", []string{"key-id", "tags"}, "add or replace a KMS key's tags (kms:TagResource)",
			func(e *Env, caller estate.Caller, c *Command) string { return e.keyARN(caller, c.Arg("key-id")) },
			func(e *Env, c *Command, arn string, set []estate.Tag) error {
				parts := strings.SplitN(arn, ":", 6)
				if len(parts) < 6 {
					return &estate.Error{Code: estate.CodeNotFoundException, Status: 400, Message: "Invalid keyId " + arn}
				}
				return e.Estate.TagResource(parts[4], strings.TrimPrefix(parts[5], "key/"), set)
			}),
		// https://docs.aws.amazon.com/cli/latest/reference/ec2/create-tags.html
		tagWrite("ec2", "create-tags", "ec2:CreateTags", []string{"resources", "tags"}, "add or replace EC2 instances' tags (ec2:CreateTags)",
			func(e *Env, caller estate.Caller, c *Command) string { return e.instanceARN(list(c, "resources")[0]) },
			func(e *Env, c *Command, _ string, set []estate.Tag) error {
				return e.Estate.CreateTags(list(c, "resources"), set)
			}),
	}
}

// requestTags reads the tags a tagging command sets and the keys it names,
// from whichever of --tags, --tagging and --tag-keys it has. The CLI's
// shorthand (Key=k,Value=v; KMS's TagKey=k,TagValue=v; put-bucket-tagging's
// TagSet=[{Key=k,Value=v}]) and JSON are both read.
func requestTags(c *Command) (set []estate.Tag, keys []string, err error) {
	switch {
	case c.Has("tagging"):
		set, err = taggingArg(c.Arg("tagging"))
	case c.Has("tags"):
		set = tags(c)
	}
	for _, t := range set {
		keys = append(keys, t.Key)
	}
	keys = append(keys, list(c, "tag-keys")...)
	return set, keys, err
}

// taggingArg reads put-bucket-tagging's --tagging: JSON
// {"TagSet":[{"Key":"k","Value":"v"}]} or the shorthand
// TagSet=[{Key=k,Value=v},{Key=k2,Value=v2}].
func taggingArg(v string) ([]estate.Tag, error) {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "{") {
		var doc struct{ TagSet []estate.Tag }
		if err := json.Unmarshal([]byte(v), &doc); err != nil {
			return nil, fmt.Errorf("--tagging is not valid JSON: %v", err)
		}
		return doc.TagSet, nil
	}
	body, ok := strings.CutPrefix(v, "TagSet=[")
	if !ok || !strings.HasSuffix(body, "]") {
		return nil, fmt.Errorf("--tagging must be TagSet=[{Key=string,Value=string},...] or JSON {\"TagSet\":[...]}, not %q", v)
	}
	var out []estate.Tag
	for _, item := range strings.Split(strings.TrimSuffix(body, "]"), "},") {
		item = strings.Trim(strings.TrimSpace(item), "{}")
		if item == "" {
			continue
		}
		var tag estate.Tag
		for _, kv := range strings.Split(item, ",") {
			k, val, _ := strings.Cut(strings.TrimSpace(kv), "=")
			switch k {
			case "Key":
				tag.Key = val
			case "Value":
				tag.Value = val
			default:
				return nil, fmt.Errorf("--tagging: unknown field %q in %q; a tag is {Key=string,Value=string}", k, item)
			}
		}
		out = append(out, tag)
	}
	return out, nil
}

// tagMap is tags as IAM's TagRole and TagUser take them.
func tagMap(ts []estate.Tag) map[string]string {
	out := make(map[string]string, len(ts))
	for _, t := range ts {
		out[t.Key] = t.Value
	}
	return out
}

// instanceARN is an instance's ARN in the account and Region that hold it.
func (e *Env) instanceARN(id string) string {
	for _, acct := range slices.Sorted(maps.Keys(e.Estate.Accounts)) {
		if inst := e.Estate.Accounts[acct].Instances[id]; inst != nil {
			return "arn:aws:ec2:" + or(inst.Region, estate.DefaultRegion) + ":" + acct + ":instance/" + id
		}
	}
	return "arn:aws:ec2:" + estate.DefaultRegion + ":" + e.Account + ":instance/" + id
}
