package tfhcl
import ("testing";"fmt";"os")
func TestDbg(t *testing.T){
	dir := os.Getenv("DBG_DIR"); if dir == "" { t.Skip() }
	g, _ := loadDir(t, dir, Options{})
	for _, r := range g.ByAddress(os.Getenv("DBG_ADDR")) {
		v := r.Get(os.Getenv("DBG_ATTR"))
		fmt.Printf("%s kind=%v reason=%q partial=%q doc=%v\n", r.Address, v.Kind, v.Reason, v.Partial, v.Doc != nil)
		if v.Kind != 6 { fmt.Println(v.String()) }
	}
}
