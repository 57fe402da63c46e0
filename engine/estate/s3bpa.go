package estate

import (
	"net/http"

	"iamlab/engine"
)

// S3 Block Public Access (issue 11, piece 4, in part). The settings live
// on the bucket and on its owner's account; S3 applies the most
// restrictive combination of the two.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

// PublicAccessBlock is S3's PublicAccessBlockConfiguration. The ACL side
// (BlockPublicAcls, IgnorePublicAcls) acts in s3acl.go.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html
type PublicAccessBlock struct {
	BlockPublicAcls       bool `json:"blockPublicAcls,omitempty" yaml:"blockPublicAcls,omitempty"`
	IgnorePublicAcls      bool `json:"ignorePublicAcls,omitempty" yaml:"ignorePublicAcls,omitempty"`
	BlockPublicPolicy     bool `json:"blockPublicPolicy,omitempty" yaml:"blockPublicPolicy,omitempty"`
	RestrictPublicBuckets bool `json:"restrictPublicBuckets,omitempty" yaml:"restrictPublicBuckets,omitempty"`
}

// effectiveBPA combines a bucket's settings with its owner account's.
func (e *Estate) effectiveBPA(account string, b *Bucket) PublicAccessBlock {
	var out PublicAccessBlock
	for _, p := range []*PublicAccessBlock{b.PublicAccessBlock, e.accountBPA(account)} {
		if p == nil {
			continue
		}
		out.BlockPublicAcls = out.BlockPublicAcls || p.BlockPublicAcls
		out.IgnorePublicAcls = out.IgnorePublicAcls || p.IgnorePublicAcls
		out.BlockPublicPolicy = out.BlockPublicPolicy || p.BlockPublicPolicy
		out.RestrictPublicBuckets = out.RestrictPublicBuckets || p.RestrictPublicBuckets
	}
	return out
}

func (e *Estate) accountBPA(account string) *PublicAccessBlock {
	if a := e.account(account); a != nil {
		return a.PublicAccessBlock
	}
	return nil
}

// s3Request gives an S3 request the Block Public Access settings in force.
func (e *Estate) s3Request(req *engine.Request, bucket string) {
	acct, b := e.bucket(bucket)
	if b == nil {
		return
	}
	if bpa := e.effectiveBPA(acct, b); bpa.RestrictPublicBuckets {
		req.S3 = &engine.S3Request{RestrictPublicBuckets: true}
	}
}

func noSuchPublicAccessBlock() *Error {
	return newError("NoSuchPublicAccessBlockConfiguration", http.StatusNotFound, "The public access block configuration was not found")
}

// PutBucketPolicyAs sets a bucket's policy as a caller: s3:PutBucketPolicy
// must be allowed, and BlockPublicPolicy refuses a public policy.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
func (e *Estate) PutBucketPolicyAs(c Call, bucket, doc string) (*Decision, error) {
	acct, b, d, err := e.authorizeOnBucket(c, bucket, "s3:PutBucketPolicy", BucketARN(bucket))
	if err != nil {
		return d, err
	}
	nd := &Document{text: doc}
	if err := checkResourcePolicy(nd, quotaBucketPolicy); err != nil {
		return d, err
	}
	if e.effectiveBPA(acct, b).BlockPublicPolicy {
		if p, err := nd.Policy(); err == nil && engine.PolicyIsPublic(p) {
			err := accessDenied("User: " + d.Identity.ARN + " is not authorized to perform: s3:PutBucketPolicy on resource: \"" + BucketARN(bucket) +
				"\" because public policies are blocked by the BlockPublicPolicy block public access setting.")
			err.Detail = "the policy grants \"*\" without a condition S3 counts as limiting, so S3 deems it public"
			return d, err
		}
	}
	b.Policy = nd
	return d, nil
}

// PutPublicAccessBlock sets a bucket's settings (s3:PutBucketPublicAccessBlock).
func (e *Estate) PutPublicAccessBlock(c Call, bucket string, cfg PublicAccessBlock) (*Decision, error) {
	_, b, d, err := e.authorizeOnBucket(c, bucket, "s3:PutBucketPublicAccessBlock", BucketARN(bucket))
	if err != nil {
		return d, err
	}
	b.PublicAccessBlock = &cfg
	return d, nil
}

// GetPublicAccessBlock reads a bucket's settings (s3:GetBucketPublicAccessBlock).
func (e *Estate) GetPublicAccessBlock(c Call, bucket string) (*PublicAccessBlock, *Decision, error) {
	_, b, d, err := e.authorizeOnBucket(c, bucket, "s3:GetBucketPublicAccessBlock", BucketARN(bucket))
	if err != nil {
		return nil, d, err
	}
	if b.PublicAccessBlock == nil {
		return nil, d, noSuchPublicAccessBlock()
	}
	return b.PublicAccessBlock, d, nil
}

// PutAccountPublicAccessBlock sets an account's settings
// (s3:PutAccountPublicAccessBlock, an action on no resource).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html
func (e *Estate) PutAccountPublicAccessBlock(c Call, account string, cfg PublicAccessBlock) (*Decision, error) {
	a := e.account(account)
	if a == nil {
		return nil, newError("NoSuchAccount", http.StatusNotFound, "The specified account does not exist")
	}
	d := e.Authorize(c, "s3:PutAccountPublicAccessBlock", "*")
	if !d.Allowed() {
		return d, d.Err
	}
	a.PublicAccessBlock = &cfg
	return d, nil
}
