package estate

import (
	"maps"
	"net/http"
	"strings"
	"unicode/utf8"

	"iamlab/engine/internal/apiparam"
)

// Tagging. Each service checks tags its own way and answers with its own
// error codes; the tags then reach every request on the resource as
// aws:ResourceTag/KEY (see Authorize).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html

// Error codes of the tagging operations.
const (
	CodeInvalidTag          = "InvalidTag"             // S3
	CodeBadRequest          = "BadRequest"             // S3
	CodeTagException        = "TagException"           // KMS
	CodeLimitExceededKMS    = "LimitExceededException" // KMS
	CodeTagLimitExceeded    = "TagLimitExceeded"       // EC2
	maxResourceTags         = 50
	maxTagKeyLen, maxTagVal = 128, 256
)

// UntagRole removes tags from a role; keys compare case-insensitively and
// a key the role does not have is ignored, as IAM does.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagRole.html
func (e *Estate) UntagRole(account, role string, keys []string) error {
	_, r, err := e.mustRole(account, role)
	if err != nil {
		return err
	}
	tags, err := untag(r.Tags, keys)
	if err != nil {
		return err
	}
	r.Tags = tags
	return nil
}

// UntagUser removes tags from a user, as UntagRole does for a role.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagUser.html
func (e *Estate) UntagUser(account, user string, keys []string) error {
	_, u, err := e.mustUser(account, user)
	if err != nil {
		return err
	}
	tags, err := untag(u.Tags, keys)
	if err != nil {
		return err
	}
	u.Tags = tags
	return nil
}

// untag returns a new map without keys, so clones sharing the old map are
// untouched.
func untag(old map[string]string, keys []string) (map[string]string, error) {
	var c apiparam.Constraints
	if len(keys) > maxResourceTags {
		c.Len("tagKeys", len(keys), maxResourceTags)
	}
	for _, k := range keys {
		c.String("tagKeys.member", k, false, 1, maxTagKeyLen, patTagKey)
	}
	if err := c.Err(ValidationError); err != nil {
		return nil, err
	}
	out := maps.Clone(old)
	for _, k := range keys {
		for o := range out {
			if strings.EqualFold(o, k) {
				delete(out, o)
			}
		}
	}
	return out, nil
}

// PutBucketTagging replaces a bucket's tags with tags, as S3 does.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html
func (e *Estate) PutBucketTagging(bucket string, tags []Tag) error {
	_, b := e.bucket(bucket)
	if b == nil {
		return noSuchBucket()
	}
	if len(tags) > maxResourceTags {
		return newError(CodeBadRequest, http.StatusBadRequest, "Bucket tag count cannot be greater than 50")
	}
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		switch {
		case t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKeyLen:
			return newError(CodeInvalidTag, http.StatusBadRequest, "The TagKey you have provided is invalid")
		case utf8.RuneCountInString(t.Value) > maxTagVal:
			return newError(CodeInvalidTag, http.StatusBadRequest, "The TagValue you have provided is invalid")
		case reservedTagKey(t.Key):
			return newError(CodeInvalidTag, http.StatusBadRequest, "System tags cannot be added/updated by requester")
		}
		// S3 tag keys are case-sensitive.
		if _, dup := out[t.Key]; dup {
			return newError(CodeInvalidTag, http.StatusBadRequest, "Cannot provide multiple Tags with the same key")
		}
		out[t.Key] = t.Value
	}
	b.Tags = out
	return nil
}

// TagResource adds or replaces tags of a KMS key, named by key ID or key
// ARN.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html
func (e *Estate) TagResource(account, keyID string, tags []Tag) error {
	k, err := e.kmsKey(account, keyID)
	if err != nil {
		return err
	}
	out := maps.Clone(k.Tags)
	if out == nil {
		out = map[string]string{}
	}
	for _, t := range tags {
		switch {
		case t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKeyLen || !patTagKey.MatchString(t.Key):
			return newError(CodeTagException, http.StatusBadRequest, "Tag key "+t.Key+" is invalid: a tag key is 1 to 128 characters")
		case utf8.RuneCountInString(t.Value) > maxTagVal || !patTagVal.MatchString(t.Value):
			return newError(CodeTagException, http.StatusBadRequest, "Tag value for key "+t.Key+" is invalid: a tag value is 0 to 256 characters")
		case reservedTagKey(t.Key):
			return newError(CodeTagException, http.StatusBadRequest, "Tag keys beginning with aws: are reserved for AWS use")
		}
		// KMS tag keys are case-sensitive: Project and project are two tags.
		out[t.Key] = t.Value
	}
	if len(out) > maxResourceTags {
		return newError(CodeLimitExceededKMS, http.StatusBadRequest, "A KMS key can have at most 50 tags")
	}
	k.Tags = out
	return nil
}

// kmsKey finds a key of account by key ID or key ARN.
func (e *Estate) kmsKey(account, keyID string) (*Key, error) {
	id := keyID
	if parts, ok := splitARN(keyID); ok && parts[0] == "arn" {
		account = parts[4]
		id, _ = strings.CutPrefix(parts[5], "key/")
	}
	if a := e.account(account); a != nil {
		if k := a.Keys[id]; k != nil {
			return k, nil
		}
	}
	return nil, kmsNotFound(KeyARN(e.region(), account, id))
}

// CreateTags adds or replaces tags of EC2 instances, all or none.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html
func (e *Estate) CreateTags(resources []string, tags []Tag) error {
	for _, t := range tags {
		switch {
		case reservedTagKey(t.Key):
			return newError(CodeInvalidParameterValue, http.StatusBadRequest, "Tag keys starting with 'aws:' are reserved for internal use")
		case t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKeyLen:
			return newError(CodeInvalidParameterValue, http.StatusBadRequest, "Tag key must be between 1 and 128 characters")
		case utf8.RuneCountInString(t.Value) > maxTagVal:
			return newError(CodeInvalidParameterValue, http.StatusBadRequest, "Tag value cannot be more than 256 characters")
		}
	}
	next := make([]map[string]string, len(resources))
	insts := make([]*Instance, len(resources))
	for i, id := range resources {
		_, inst := e.instance(id)
		if inst == nil {
			return newError(CodeInvalidInstanceIDNotFound, http.StatusBadRequest, "The instance ID '"+id+"' does not exist")
		}
		out := maps.Clone(inst.Tags)
		if out == nil {
			out = map[string]string{}
		}
		for _, t := range tags {
			out[t.Key] = t.Value
		}
		if len(out) > maxResourceTags {
			return newError(CodeTagLimitExceeded, http.StatusBadRequest, "The maximum number of Tags for a resource has been reached.")
		}
		insts[i], next[i] = inst, out
	}
	for i, inst := range insts {
		inst.Tags = next[i]
	}
	return nil
}

// reservedTagKey: keys that start with aws: belong to AWS.
func reservedTagKey(k string) bool {
	return len(k) >= 4 && strings.EqualFold(k[:4], "aws:")
}
