variable "oac_id" {
  type = string
}

resource "aws_cloudfront_origin_access_control" "s3" {
  name                              = "s3"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_key_group" "devices" {
  name  = "devices"
  items = ["K2JCJMDEHXQW5F"]
}

# Private bucket through an origin access control, no signed URLs.
resource "aws_cloudfront_distribution" "reports" {
  enabled = true
  origin {
    origin_id                = "curated"
    domain_name              = "curated.s3.eu-west-1.amazonaws.com"
    origin_access_control_id = aws_cloudfront_origin_access_control.s3.id
  }
  default_cache_behavior { # want DATA-030
    target_origin_id       = "curated"
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
    cloudfront_default_certificate = true
  }
}

# The same, with signed URLs from a key group.
resource "aws_cloudfront_distribution" "signed" { # want +DATA-030
  enabled = true
  origin {
    origin_id                = "curated"
    domain_name              = "curated.s3.eu-west-1.amazonaws.com"
    origin_access_control_id = aws_cloudfront_origin_access_control.s3.id
  }
  default_cache_behavior {
    target_origin_id       = "curated"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    trusted_key_groups     = [aws_cloudfront_key_group.devices.id]
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

# A load balancer by default, the private bucket (origin access identity)
# under /private/*: only that behavior is judged.
resource "aws_cloudfront_distribution" "legacy" {
  enabled = true
  origin {
    origin_id   = "app"
    domain_name = "app.example.com"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  origin {
    origin_id   = "files"
    domain_name = "files.s3.eu-west-1.amazonaws.com"
    s3_origin_config {
      origin_access_identity = "origin-access-identity/cloudfront/E127EXAMPLE51Z"
    }
  }
  default_cache_behavior {
    target_origin_id       = "app"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  ordered_cache_behavior {
    path_pattern           = "/private/*"
    target_origin_id       = "files"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    trusted_signers        = ["self"]
  }
  ordered_cache_behavior { # want DATA-030
    path_pattern           = "/downloads/*"
    target_origin_id       = "files"
    viewer_protocol_policy = "https-only"
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

# A public website bucket without origin access: not private content.
resource "aws_cloudfront_distribution" "website" {
  enabled = true
  origin {
    origin_id   = "www"
    domain_name = "www.s3.eu-west-1.amazonaws.com"
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
    cloudfront_default_certificate = true
  }
}

# Failover between two private buckets through an origin group.
resource "aws_cloudfront_distribution" "failover" {
  enabled = true
  origin_group {
    origin_id = "group"
    failover_criteria {
      status_codes = [500, 502, 503]
    }
    member {
      origin_id = "primary"
    }
    member {
      origin_id = "secondary"
    }
  }
  origin {
    origin_id                = "primary"
    domain_name              = "primary.s3.eu-west-1.amazonaws.com"
    origin_access_control_id = aws_cloudfront_origin_access_control.s3.id
  }
  origin {
    origin_id                = "secondary"
    domain_name              = "secondary.s3.eu-central-1.amazonaws.com"
    origin_access_control_id = aws_cloudfront_origin_access_control.s3.id
  }
  default_cache_behavior { # want DATA-030
    target_origin_id       = "group"
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
    cloudfront_default_certificate = true
  }
}

# Whether the origin is private comes from a variable without a value.
resource "aws_cloudfront_distribution" "fromvar" {
  enabled = true
  origin {
    origin_id                = "data"
    domain_name              = "data.s3.eu-west-1.amazonaws.com"
    origin_access_control_id = var.oac_id
  }
  default_cache_behavior { # want ?DATA-030
    target_origin_id       = "data"
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
    cloudfront_default_certificate = true
  }
}
