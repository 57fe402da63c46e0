package estate

import (
	"net/http"
	"strings"

	"iamlab/engine"
	"iamlab/engine/internal/apiparam"
)

// S3 access points (issue 11, piece 4, in part). An access point is a
// named network endpoint of one bucket with a policy of its own; a call
// names it by ARN where it would name the bucket, and both the access
// point and the bucket must allow the call.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html

// AccessPoint is an S3 access point of an account, keyed in
// Account.AccessPoints by its name. NetworkOrigin is "Internet" (the
// default) or "VPC"; a VPC access point names its VPC and takes calls
// only from it, through a VPC endpoint there.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-vpc.html
type AccessPoint struct {
	Bucket        string    `json:"bucket" yaml:"bucket"`
	Region        string    `json:"region,omitempty" yaml:"region,omitempty"`
	NetworkOrigin string    `json:"networkOrigin,omitempty" yaml:"networkOrigin,omitempty"`
	VPC           string    `json:"vpc,omitempty" yaml:"vpc,omitempty"`
	Policy        *Document `json:"policy,omitempty" yaml:"policy,omitempty"`
}

// patAccessPointName: 3 to 50 lowercase letters, digits and hyphens,
// starting and ending with a letter or digit.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-restrictions-limitations-naming-rules.html
var patAccessPointName = apiparam.Lazy(`^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$`)

// quotaAccessPointPolicy is the size limit of an access point policy, as
// of a bucket policy.
const quotaAccessPointPolicy = 20480

// AccessPointARN returns arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME.
func AccessPointARN(region, account, name string) string {
	return "arn:aws:s3:" + region + ":" + account + ":accesspoint/" + name
}

// accessPointRef is an access point named by an ARN: the access point's
// own ARN, its account and name, and the object key for ARN/object/KEY.
type accessPointRef struct {
	arn, region, account, name, key string
	object                          bool
}

// parseAccessPointARN reads arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME
// and .../accesspoint/NAME/object/KEY.
func parseAccessPointARN(arn string) (accessPointRef, bool) {
	parts, ok := splitARN(arn)
	if !ok || parts[2] != "s3" || parts[3] == "" || !isAccountID(parts[4]) {
		return accessPointRef{}, false
	}
	rest, ok := strings.CutPrefix(parts[5], "accesspoint/")
	if !ok {
		return accessPointRef{}, false
	}
	name, tail, hasTail := strings.Cut(rest, "/")
	r := accessPointRef{region: parts[3], account: parts[4], name: name}
	if hasTail {
		key, ok := strings.CutPrefix(tail, "object/")
		if !ok {
			return accessPointRef{}, false
		}
		r.key, r.object = key, true
	}
	if name == "" {
		return accessPointRef{}, false
	}
	r.arn = AccessPointARN(r.region, r.account, name)
	return r, true
}

// accessPoint finds an access point by account and name.
func (e *Estate) accessPoint(account, name string) *AccessPoint {
	if a := e.account(account); a != nil {
		return a.AccessPoints[name]
	}
	return nil
}

func noSuchAccessPoint() *Error {
	return newError("NoSuchAccessPoint", http.StatusNotFound, "The specified accesspoint does not exist")
}

// s3Target is what an S3 call's Bucket parameter names: a bucket, or an
// access point by its ARN, as the AWS CLI takes either in --bucket.
type s3Target struct {
	Bucket string
	ap     string // the access point's ARN, "" for the bucket itself
}

// resolveS3Target reads a Bucket parameter.
func (e *Estate) resolveS3Target(param string) (s3Target, *Error) {
	if !strings.HasPrefix(param, "arn:") {
		return s3Target{Bucket: param}, nil
	}
	r, ok := parseAccessPointARN(param)
	if !ok || r.object {
		return s3Target{}, newError("InvalidArgument", http.StatusBadRequest, "Bucket: "+param+" is neither a bucket name nor an access point ARN (arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME)")
	}
	ap := e.accessPoint(r.account, r.name)
	if ap == nil || ap.region(e) != r.region {
		return s3Target{}, noSuchAccessPoint()
	}
	return s3Target{Bucket: ap.Bucket, ap: r.arn}, nil
}

func (t s3Target) objectARN(key string) string {
	if t.ap != "" {
		return t.ap + "/object/" + key
	}
	return ObjectARN(t.Bucket, key)
}

func (t s3Target) bucketARN() string {
	if t.ap != "" {
		return t.ap
	}
	return BucketARN(t.Bucket)
}

func (ap *AccessPoint) region(e *Estate) string {
	if ap.Region != "" {
		return ap.Region
	}
	return e.region()
}

// accessPointFor turns a resource named through an access point into the
// bucket's resource and the engine's view of the access point; ap is nil
// for any other resource. Requests on objects and listings of the bucket
// go through an access point (iamlab leaves out the few bucket reads S3
// also takes there, such as GetBucketLocation); managing the access point
// itself (s3:PutAccessPointPolicy, ...) acts on the access point's ARN.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-service-api-support.html
func (e *Estate) accessPointFor(resource, action string) (ap *engine.AccessPoint, bucketResource string, ref PolicyRef) {
	r, ok := parseAccessPointARN(resource)
	if !ok || !(r.object || strings.HasPrefix(strings.ToLower(action), "s3:listbucket")) {
		return nil, resource, PolicyRef{}
	}
	a := e.accessPoint(r.account, r.name)
	if a == nil {
		return nil, resource, PolicyRef{}
	}
	ap = &engine.AccessPoint{ARN: r.arn, Resource: resource, Account: r.account, NetworkOrigin: a.origin(), VPC: a.VPC}
	if a.Policy != nil {
		if p, err := a.Policy.Policy(); err == nil {
			ap.Policy = p
			ref = PolicyRef{Kind: "access point", Owner: "accesspoint/" + r.name}
		}
	}
	bucketResource = BucketARN(a.Bucket)
	if r.object {
		bucketResource = ObjectARN(a.Bucket, r.key)
	}
	return ap, bucketResource, ref
}

func (ap *AccessPoint) origin() string {
	if strings.EqualFold(ap.NetworkOrigin, engine.NetworkOriginVPC) {
		return engine.NetworkOriginVPC
	}
	return engine.NetworkOriginInternet
}

// accessPoints checks an account's access points.
func (v *validator) accessPoints(path, acct string, a *Account) {
	for _, name := range sortedKeys(a.AccessPoints) {
		ap := a.AccessPoints[name]
		p := key(path+".accessPoints", name)
		if !patAccessPointName.MatchString(name) {
			v.failf(p, "an access point name is 3 to 50 lowercase letters, digits and hyphens, starting and ending with a letter or digit")
		}
		if ap == nil {
			v.failf(p, "an access point needs a bucket")
			continue
		}
		if owner, b := v.e.bucket(ap.Bucket); b == nil {
			v.fail(p+".bucket", noSuchBucket())
		} else if owner != acct {
			v.failf(p+".bucket", "the bucket %s belongs to account %s; iamlab's access points are in the bucket owner's account", ap.Bucket, owner)
		}
		switch ap.NetworkOrigin {
		case "", engine.NetworkOriginInternet:
			if ap.VPC != "" {
				v.failf(p+".vpc", "only an access point whose networkOrigin is VPC names a VPC")
			}
		case engine.NetworkOriginVPC:
			if !strings.HasPrefix(ap.VPC, "vpc-") {
				v.failf(p+".vpc", "a VPC access point needs the ID of its VPC, such as vpc-0aa11bb2")
			}
		default:
			v.failf(p+".networkOrigin", "must be Internet or VPC, not %q", ap.NetworkOrigin)
		}
		if ap.Policy != nil {
			if err := checkResourcePolicy(ap.Policy, quotaAccessPointPolicy); err != nil {
				v.fail(p+".policy", err)
			}
		}
	}
}

// CreateAccessPoint adds an access point for a bucket of the account
// (s3:CreateAccessPoint on the access point's ARN, with
// s3:AccessPointNetworkOrigin in the request).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_CreateAccessPoint.html
func (e *Estate) CreateAccessPoint(c Call, account, name, bucket, vpc string) (string, *Decision, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return "", nil, err
	}
	if !patAccessPointName.MatchString(name) {
		return "", nil, newError("InvalidURI", http.StatusBadRequest, "Couldn't parse the specified URI: access point name "+name+" is not 3 to 50 lowercase letters, digits and hyphens")
	}
	owner, b := e.bucket(bucket)
	if b == nil {
		return "", nil, noSuchBucket()
	}
	region := b.Region
	if region == "" {
		region = e.region()
	}
	arn := AccessPointARN(region, account, name)
	call := c
	call.Context = cloneContext(c.Context)
	origin := engine.NetworkOriginInternet
	if vpc != "" {
		origin = engine.NetworkOriginVPC
	}
	call.Context.Set("s3:AccessPointNetworkOrigin", origin)
	d := e.Authorize(call, "s3:CreateAccessPoint", arn)
	if !d.Allowed() {
		return "", d, d.Err
	}
	if owner != account {
		return "", d, newError("InvalidRequest", http.StatusBadRequest, "iamlab's access points are in the bucket owner's account")
	}
	if a.AccessPoints[name] != nil {
		return "", d, newError("AccessPointAlreadyOwnedByYou", http.StatusConflict, "Your previous request to create the named accesspoint succeeded and you already own it.")
	}
	if a.AccessPoints == nil {
		a.AccessPoints = map[string]*AccessPoint{}
	}
	a.AccessPoints[name] = &AccessPoint{Bucket: bucket, Region: region, NetworkOrigin: origin, VPC: vpc}
	return arn, d, nil
}

// accessPointOp authorizes an S3 Control call on an access point and, if
// allowed, runs do on it.
func (e *Estate) accessPointOp(c Call, account, name, action string, do func(*AccessPoint) error) (*Decision, error) {
	ap := e.accessPoint(account, name)
	if ap == nil {
		return nil, noSuchAccessPoint()
	}
	d := e.Authorize(c, action, AccessPointARN(ap.region(e), account, name))
	if !d.Allowed() {
		return d, d.Err
	}
	return d, do(ap)
}

// GetAccessPointPolicy returns an access point's policy
// (s3:GetAccessPointPolicy).
func (e *Estate) GetAccessPointPolicy(c Call, account, name string) (string, *Decision, error) {
	var text string
	d, err := e.accessPointOp(c, account, name, "s3:GetAccessPointPolicy", func(ap *AccessPoint) error {
		if ap.Policy == nil {
			return newError("NoSuchAccessPointPolicy", http.StatusNotFound, "The specified accesspoint policy does not exist")
		}
		text = ap.Policy.Text()
		return nil
	})
	return text, d, err
}

// PutAccessPointPolicy replaces an access point's policy
// (s3:PutAccessPointPolicy), with the checks S3 makes of a bucket policy.
func (e *Estate) PutAccessPointPolicy(c Call, account, name, policy string) (*Decision, error) {
	return e.accessPointOp(c, account, name, "s3:PutAccessPointPolicy", func(ap *AccessPoint) error {
		d := &Document{text: policy}
		if err := checkResourcePolicy(d, quotaAccessPointPolicy); err != nil {
			return err
		}
		ap.Policy = d
		return nil
	})
}

// DeleteAccessPointPolicy removes an access point's policy
// (s3:DeleteAccessPointPolicy).
func (e *Estate) DeleteAccessPointPolicy(c Call, account, name string) (*Decision, error) {
	return e.accessPointOp(c, account, name, "s3:DeleteAccessPointPolicy", func(ap *AccessPoint) error {
		ap.Policy = nil
		return nil
	})
}

// BucketFor is the bucket an S3 call's Bucket parameter reaches: the
// bucket named, or an access point's bucket; "" for an access point that
// does not exist.
func (e *Estate) BucketFor(param string) string {
	t, err := e.resolveS3Target(param)
	if err != nil {
		return ""
	}
	return t.Bucket
}

// AccessPointInfo is what GetAccessPoint answers.
type AccessPointInfo struct {
	Name, ARN, Bucket, NetworkOrigin, VPC string
}

// GetAccessPoint describes an access point (s3:GetAccessPoint).
func (e *Estate) GetAccessPoint(c Call, account, name string) (*AccessPointInfo, *Decision, error) {
	var out *AccessPointInfo
	d, err := e.accessPointOp(c, account, name, "s3:GetAccessPoint", func(ap *AccessPoint) error {
		out = &AccessPointInfo{Name: name, ARN: AccessPointARN(ap.region(e), account, name), Bucket: ap.Bucket, NetworkOrigin: ap.origin(), VPC: ap.VPC}
		return nil
	})
	return out, d, err
}

// ObjectARNFor is the ARN an S3 call on key names with the Bucket
// parameter param: the bucket's object, or the object through an access
// point (ARN/object/KEY).
func (e *Estate) ObjectARNFor(param, key string) string {
	if strings.HasPrefix(param, "arn:") {
		return param + "/object/" + key
	}
	return ObjectARN(param, key)
}
