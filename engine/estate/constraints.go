package estate

import (
	"net/http"

	"iamlab/engine/internal/apiparam"
)

// ValidationError returns AWS's ValidationError with a message of its own.
func ValidationError(msg string) error {
	return newError(CodeValidationError, http.StatusBadRequest, msg)
}

// Patterns of IAM names.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
var (
	patName    = apiparam.Pattern(`[\w+=,.@-]+`)
	patPath    = apiparam.Pattern(`(\x{002F})|(\x{002F}[\x{0021}-\x{007E}]+\x{002F})`)
	patTagKey  = apiparam.Pattern(`[\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
	patTagVal  = apiparam.Pattern(`[\p{L}\p{Z}\p{N}_.:/=+\-@]*`)
	patBucket  = apiparam.Lazy(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	patInstID  = apiparam.Lazy(`^i-[0-9a-f]{8,17}$`)
	patOIDCURL = apiparam.Lazy(`^[A-Za-z0-9.-]+(:[0-9]+)?(/[\x21-\x7e]*)?$`)
)
