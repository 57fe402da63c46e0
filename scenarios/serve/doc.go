// Package serve serves a scenario's estate as a local AWS endpoint: the
// real AWS CLI and SDKs talk to it with AWS's own wire protocols and
// SigV4 signatures, and iamlab's engine decides every request.
//
// Start reading at [Server]: [New] builds one over a scenario, ServeHTTP
// answers one request and [Server.Start] listens on loopback. A request
// goes through four steps, one file each:
//
//   - decode (decode.go): which protocol, service and operation, and its
//     parameters: Query for STS, IAM and EC2, REST for S3, JSON 1.1 with
//     X-Amz-Target for KMS and DynamoDB;
//   - authenticate (auth.go): the SigV4 signature recomputed with
//     aws-sdk-go-v2's signer against the estate's access keys;
//   - run: the same command of scenarios/awscli's table the sandbox
//     console parses, run by [scenarios.Sandbox.Exec] as the authenticated
//     caller, so the console and the endpoint share one executor and one
//     authorization mapping;
//   - encode (encode.go): the outcome in the service's wire format, with
//     AWS's error codes and texts.
//
// Which S3 operation a request is, sub-resources (?acl, ?policy) included,
// is one function, s3Op in decode.go. The ACL and Object Ownership
// parameters (the x-amz-acl and x-amz-grant-* headers, the XML bodies)
// and answers are in s3acl.go.
//
// Each request is reported as an [Event] (principal, action, resource,
// decision, reason and the deciding trace step) to [Options.OnEvent], so
// a log or a live view can follow. [Server.Update] edits the served
// estate safely while it serves, and [Server.Start] with port 0 picks a
// free port.
//
// Transport: the endpoint speaks plain HTTP on loopback, standing in for
// the HTTPS connection the CLI would make to AWS, so every request it
// serves carries aws:SecureTransport true and decides as the same call to
// AWS would. A policy that refuses plain HTTP is exercised in the sandbox
// console instead, with --endpoint-url http://... S3 access point ARNs in
// a Bucket parameter are the sandbox console's too: the endpoint does not
// decode the access point host names the SDKs send them to.
package serve
