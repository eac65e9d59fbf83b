package seal_test

import (
	"io"

	"filippo.io/age/armor"
)

func armorWriter(w io.Writer) io.WriteCloser { return armor.NewWriter(w) }
