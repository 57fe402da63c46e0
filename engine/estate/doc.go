// Package estate is iamlab's simulated AWS estate: accounts, an optional
// organization, IAM users, groups, roles and managed policies, instance
// profiles and EC2 instances, identity providers, S3 buckets and KMS keys,
// and the temporary sessions STS has issued.
//
// Its heart is [Estate.Authorize]: "this caller performs this action on this
// resource". It gathers every policy that applies (identity policies of the
// user and its groups or of the role, the permissions boundary, session
// policies, the organization's SCPs and RCPs, the resource's own policy),
// derives the request context AWS would derive (the caller's tags as
// aws:PrincipalTag, the tags of the role, user, bucket, key or instance
// acted on as aws:ResourceTag), asks [engine.Evaluate] and words a denial
// as AWS does.
//
// Beyond IAM itself: a call may travel through one of an account's VPC
// endpoints (vpce.go: its policy and network keys; vpcroute.go: an
// instance in a VPC reaches a service through its VPC's endpoint without
// asking), name a bucket through an S3 access point (accesspoint.go), go
// over plain HTTP (Call.PlainHTTP, aws:SecureTransport), be made by a
// service principal for a source resource or forwarded by services
// (service.go: aws:SourceArn, aws:CalledVia, ...), and carry the
// organization's data-perimeter keys (perimeter.go). S3 requests meet the
// bucket's Block Public Access (s3bpa.go) and, where its Object Ownership
// keeps ACLs on, the bucket's or object's ACL and the object owner
// (s3acl.go). KMS requests carry the key's grants, and reads and writes of
// an SSE-KMS bucket call KMS as the caller (kms.go). An IAM Identity
// Center instance's permission sets become AWSReservedSSO_ roles at
// Validate (identitycenter.go).
//
// The types are plain exported structs with JSON and YAML tags, so a loader
// can fill them from a file; [Estate.Validate] then checks everything, fills
// in generated IDs and reports the first problems with their path, such as
// `accounts["111122223333"].users["alice"].inlinePolicies["s3"]: ...`. The
// mutating methods (PutUserPolicy, CreatePolicyVersion, TagRole,
// PutBucketTagging, ...) enforce each service's quotas with AWS's error
// codes and messages. [Estate.Clone] is cheap: parsed policy documents
// are immutable and shared between clones.
//
// Nothing here reads the wall clock: every call carries its time.
// Authorize, Resolve and DecodeAuthorizationMessage only read the estate,
// so concurrent evaluations are safe; the setup methods, the service
// operations and STS write it, so give each writer its own clone.
package estate
