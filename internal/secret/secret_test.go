package secret

import "testing"

func TestSettingAttr(t *testing.T) {
	for _, c := range []struct {
		typ, block, name string
		want             bool
	}{
		{"aws_cognito_user_pool_client", "token_validity_units", "refresh_token", true},
		{"aws_cognito_user_pool_client", "token_validity_units", "access_token", true},
		{"aws_cognito_managed_user_pool_client", "token_validity_units", "id_token", true},
		{"aws_api_gateway_integration", "", "credentials", true},
		{"aws_api_gateway_method", "integration", "credentials", true},
		{"aws_api_gateway_authorizer", "", "authorizer_credentials", true},
		// The same names anywhere else are credentials.
		{"aws_cognito_user_pool_client", "", "refresh_token", false},
		{"aws_lambda_function", "token_validity_units", "refresh_token", false},
		{"aws_api_gateway_method", "", "credentials", false},
		{"aws_db_instance", "", "password", false},
	} {
		if got := SettingAttr(c.typ, c.block, c.name); got != c.want {
			t.Errorf("SettingAttr(%q, %q, %q) = %v, want %v", c.typ, c.block, c.name, got, c.want)
		}
	}
}

func TestNotACredentialARN(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"arn:aws:iam::123456789012:role/apigw", true},
		{"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf", true},
		{"arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", true},
		{"arn:aws:s3:::bucket/key", true},
		{"arn:aws:iam::123456789012:role/a b", false}, // not an ARN: spaces
		{"arn:Vx7qLm2Rt9pWz4Kd", false},
		{"xarn:aws:iam::123456789012:role/a", false},
		{"Vx7qLm2Rt9pWz4Kd", false},
	} {
		if got := NotACredential(c.in); got != c.want {
			t.Errorf("NotACredential(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}
