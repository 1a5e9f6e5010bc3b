package escalate

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// pathfindingIDs reads testdata/pathfinding-ids.txt: the ids of the paths
// pathfinding.cloud publishes, one per line, # comments.
func pathfindingIDs(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/pathfinding-ids.txt")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, ln := range strings.Split(string(data), "\n") {
		if ln = strings.TrimSpace(ln); ln != "" && !strings.HasPrefix(ln, "#") {
			ids = append(ids, ln)
		}
	}
	return ids
}

var catalogID = regexp.MustCompile(`^[a-z0-9]+-[0-9]{3}$`)

// TestPathfindingCatalog holds the methods to the pathfinding.cloud
// catalogue: every published path is covered by some variant's Catalog or
// listed in notShownByCode with the reason code cannot show it, and no
// variant names a path the catalogue does not have.
func TestPathfindingCatalog(t *testing.T) {
	ids := pathfindingIDs(t)
	inList := map[string]bool{}
	for _, id := range ids {
		if !catalogID.MatchString(id) {
			t.Errorf("testdata/pathfinding-ids.txt: %q is not a pathfinding.cloud id (service-NNN)", id)
		}
		if inList[id] {
			t.Errorf("testdata/pathfinding-ids.txt: %s listed twice", id)
		}
		inList[id] = true
	}
	if len(inList) != CatalogPaths {
		t.Errorf("testdata/pathfinding-ids.txt lists %d paths, CatalogPaths says %d", len(inList), CatalogPaths)
	}

	// Which labels name each id.
	namedBy := map[string][]string{}
	for _, v := range Variants() {
		for _, id := range v.Catalog {
			namedBy[id] = append(namedBy[id], v.Label)
		}
	}

	t.Run("known", func(t *testing.T) {
		for _, id := range sortedIDs(namedBy) {
			if !inList[id] {
				t.Errorf("%s (named by %s) is not a pathfinding.cloud path", id, strings.Join(namedBy[id], ", "))
			}
		}
		for _, id := range sortedKeys(notShownByCode) {
			switch {
			case !inList[id]:
				t.Errorf("notShownByCode: %s is not a pathfinding.cloud path", id)
			case strings.TrimSpace(notShownByCode[id]) == "":
				t.Errorf("notShownByCode: %s gives no reason", id)
			case len(namedBy[id]) > 0:
				t.Errorf("notShownByCode: %s is named by %s, so the code shows it", id, strings.Join(namedBy[id], ", "))
			}
		}
	})

	t.Run("covered", func(t *testing.T) {
		var missing []string
		for _, id := range ids {
			if len(namedBy[id]) == 0 && notShownByCode[id] == "" {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%d of %d pathfinding.cloud paths are neither covered by a method variant (Variant.Catalog) "+
				"nor listed in notShownByCode with the reason code cannot show them:\n  %s",
				len(missing), len(ids), strings.Join(missing, "\n  "))
		}
	})
}

func sortedIDs(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
