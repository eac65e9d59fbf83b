package meadowcap_test

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/core/path"
)

// An owned namespace: the owner authorises Alfie, Alfie delegates write
// access below /blog to Betty, Betty writes an entry.
func Example() {
	ns, nsSecret, _ := ids.GenerateOwnedNamespace(rand.Reader)
	alfie, alfieSecret, _ := ids.GenerateSubspace(rand.Reader)
	betty, bettySecret, _ := ids.GenerateSubspace(rand.Reader)

	alfieCap, _ := meadowcap.NewOwned(meadowcap.Write, nsSecret, alfie)
	blog := grouping.Area{Subspace: grouping.OnlySubspace(betty), Path: path.MustFromStrings("blog")}
	bettyCap, err := meadowcap.Delegate(alfieCap, alfieSecret, blog, betty)
	if err != nil {
		panic(err)
	}

	e := entry.Entry{NamespaceID: ns, SubspaceID: betty, Path: path.MustFromStrings("blog", "hello"), Timestamp: 1}
	token, err := meadowcap.Authorise(e, bettyCap, bettySecret)
	if err != nil {
		panic(err)
	}
	fmt.Println("authorised:", meadowcap.IsAuthorisedWrite(e, token))

	// Outside /blog the capability grants nothing.
	e.Path = path.MustFromStrings("private")
	_, err = meadowcap.Authorise(e, bettyCap, bettySecret)
	fmt.Println("outside the area:", errors.Is(err, meadowcap.ErrEntryOutsideArea))
	// Output:
	// authorised: true
	// outside the area: true
}
