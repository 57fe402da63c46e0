// Package engine is iamlab's IAM policy language and its evaluation: it
// parses policy documents as AWS's grammar defines them, decides an
// authorization request with AWS's policy evaluation logic, and explains
// the decision statement by statement. It uses the standard library only,
// reads no clock and does no I/O: everything arrives in the [Request].
//
// Where to start reading:
//
//   - [ParsePolicy] (parse.go, json.go, pattern.go) turns a document into a
//     [Policy]; errors name the JSON path, line and column.
//   - [Evaluate] (evaluate.go) first collects what applies: every statement
//     of every policy is matched (match order as AWS documents it: action,
//     resource, principal, conditions in condition.go) and traced as a
//     [Step]. A pure decide step then applies AWS's flowchart in order:
//     explicit deny, SCPs, the policy of the VPC endpoint the request came
//     through ([Request].VPCEndpoint), then resource-based and
//     identity-based policies with their boundaries and session policies,
//     same account or across accounts.
//   - Two services add their own layers around the policies, each a trace
//     stage of its own and used only when the request carries it
//     ([Request].KMS, [Request].S3): KMS grants after the key policy
//     (kmsgrant.go), S3 Block Public Access's RestrictPublicBuckets on
//     a public bucket policy (s3public.go), and S3 ACLs beside the bucket
//     policy, with the object owner's context of an object another
//     account owns (s3acl.go). A request through an S3 access point
//     ([Request].AccessPoint, s3accesspoint.go) is authorized on the
//     access point (its network origin and policy, identity-based policies
//     on its ARN) and on the bucket, and both must allow it.
//   - [Result] (explain.go) carries the decision, the statements that
//     matched, the trace and the AccessDenied wording AWS would use;
//     [Failures] and [OfType] filter a trace, [StatementName] names a
//     statement for a person.
//   - [Lint] (lint.go) warns in the spirit of IAM Access Analyzer, with the
//     service catalog of catalog.go (catalog.json is generated).
//   - [DecodeRequest] (evalformat.go) reads the `iamlab eval` request
//     format of docs/eval-request.md.
//
// The simulated estate (accounts, users, roles, buckets, keys) that turns
// "this caller does this" into a Request lives in engine/estate; the STS
// operations in engine/sts. The corpus in testdata/cases pins each rule to
// the AWS page it comes from.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
package engine
