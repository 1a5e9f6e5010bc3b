package cfn

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/fuzzing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/yamlpos"
)

// FuzzLoad feeds arbitrary bytes through both decoders and the loader. No
// panic and no internal error; loading ends within bounds; every
// diagnostic names the file, and a line of it when it names one; every
// resource is on a line of the file; loading is deterministic.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	twins, _ := filepath.Glob("../../builtin/testdata/*/cfn/*")
	for _, p := range append(seeds, twins...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(fmt.Sprintf(intrinsicsHeader, "!If [Undecided, !Sub '${Other.Arn}', !Select [0, !Split [',', !Join ['', [a, ',', b]]]]]")))
	f.Add([]byte("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Condition: C\nConditions:\n  C: !And [!Condition C, !Equals [a, !Ref AWS::Region]]\n"))
	for _, s := range []string{
		// Intrinsics nested as deep as the decoder allows.
		"Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: " + strings.Repeat("!Join ['', [", 120) + "x" + strings.Repeat("]]", 120) + "\n",
		"Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: " + strings.Repeat("{Fn::Sub: ", 250) + "x" + strings.Repeat("}", 250) + "\n",
		"Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"" + strings.Repeat("${A.Arn}", 2000) + "\"\n",
		"Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {B: !GetAtt B.Arn}\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {A: !GetAtt A.Arn}\n",
		"Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: !Select [99999999999, !GetAZs '']\n      Y: !Select [-1, [a]]\n      Z: !Split ['', !Ref AWS::StackName]\n      W: !Base64 !Cidr [10.0.0.0/8, 99999, 1]\n",
		"\ufeffAWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: \"AWS::S3::Bucket\\0\"\n",
		"AWSTemplateFormatVersion: '2010-09-09'\nMappings: &m\n  M: *m\nResources: {}\n",
		`{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"A":{"Type":"AWS::IAM::Role","Properties":{"AssumeRolePolicyDocument":{"Fn::FindInMap":["M",{"Ref":"AWS::Region"},"k"]}}}},"Mappings":{"M":{}}}`,
		"Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {Policies: [AdministratorAccess]}\n",
		"Parameters:\n  P: {Type: CommaDelimitedList, Default: '" + strings.Repeat("a,", 5000) + "'}\nResources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {X: !Join [',', !Ref P]}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzing.Watchdog("Load", len(data))()
		var roots []*graph.Value
		if docs, _ := yamlpos.Decode(data, "f.yaml", yamlpos.Options{Tag: Tag}); len(docs) > 0 {
			roots = append(roots, docs[0].Value)
		}
		if v, err := jsonpos.Parse(data, "f.yaml"); err == nil {
			roots = append(roots, v)
		}
		lines := fuzzing.YAMLLines(data)
		for _, root := range roots {
			if !Detect(root) && root.Kind != graph.Map {
				continue
			}
			var outs [2]string
			for i := range outs {
				g := graph.New()
				diags := Load(g, root, "f.yaml", Options{Params: map[string]string{"Env": "prod"}})
				for _, d := range diags {
					if strings.HasPrefix(d.Summary, "internal error") {
						t.Fatalf("%s", d)
					}
					if d.File != "f.yaml" || d.Line < 0 || d.Line > lines {
						t.Fatalf("diagnostic not in the input (%d lines): %s", lines, d)
					}
				}
				for _, r := range g.Resources() {
					if r.Range.File != "f.yaml" || int(r.Range.Line) > lines {
						t.Fatalf("%s at %+v, outside the input (%d lines)", r.Address, r.Range, lines)
					}
				}
				outs[i] = dump(g, true) + fmt.Sprint(diags)
			}
			if outs[0] != outs[1] {
				t.Fatalf("loading is not deterministic")
			}
		}
	})
}
