variable "viewer_policy" {
  type = string
}

variable "certificate_arn" {
  type = string
}

resource "aws_acm_certificate" "site" {
  domain_name       = "www.example.com"
  validation_method = "DNS"
}

# Plain HTTP on the default *.cloudfront.net certificate (whose security
# policy cannot be chosen).
resource "aws_cloudfront_distribution" "plainhttp" {
  enabled = true
  origin {
    origin_id   = "www"
    domain_name = "www.example.com"
  }
  default_cache_behavior {
    target_origin_id       = "www"
    viewer_protocol_policy = "allow-all" # want DATA-031
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

resource "aws_cloudfront_distribution" "https" { # want +DATA-031
  enabled = true
  origin {
    origin_id   = "www"
    domain_name = "www.example.com"
  }
  default_cache_behavior {
    target_origin_id       = "www"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.site.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}

# A custom certificate with the provider's default security policy, TLSv1.
resource "aws_cloudfront_distribution" "oldtls" {
  enabled = true
  origin {
    origin_id   = "www"
    domain_name = "www.example.com"
  }
  default_cache_behavior {
    target_origin_id       = "www"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate { # want DATA-031
    acm_certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012"
    ssl_support_method  = "sni-only"
  }
}

resource "aws_cloudfront_distribution" "tls2019" {
  enabled = true
  origin {
    origin_id   = "www"
    domain_name = "www.example.com"
  }
  default_cache_behavior {
    target_origin_id       = "www"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  ordered_cache_behavior {
    path_pattern           = "/api/*"
    target_origin_id       = "www"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  ordered_cache_behavior {
    path_pattern           = "/legacy/*"
    target_origin_id       = "www"
    viewer_protocol_policy = "allow-all" # want DATA-031
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.site.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2019" # want DATA-031
  }
}

resource "aws_cloudfront_distribution" "fromvar" {
  enabled = true
  origin {
    origin_id   = "www"
    domain_name = "www.example.com"
  }
  default_cache_behavior {
    target_origin_id       = "www"
    viewer_protocol_policy = var.viewer_policy # want ?DATA-031
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

# Whether a custom certificate is used comes from a variable: the TLSv1
# policy may or may not apply.
resource "aws_cloudfront_distribution" "certvar" {
  enabled = true
  origin {
    origin_id   = "www"
    domain_name = "www.example.com"
  }
  default_cache_behavior {
    target_origin_id       = "www"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    acm_certificate_arn      = var.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1" # want ?DATA-031
  }
}
