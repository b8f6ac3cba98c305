# expect: none
resource "aws_s3_bucket" "good" {
  bucket = "corpus-good"
}

# expect: none
resource "aws_s3_bucket_server_side_encryption_configuration" "good" {
  bucket = aws_s3_bucket.good.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  }
}

# expect: none
resource "aws_s3_bucket_public_access_block" "good" {
  bucket                  = aws_s3_bucket.good.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# expect: none
resource "aws_s3_bucket_versioning" "good" {
  bucket = aws_s3_bucket.good.id
  versioning_configuration {
    status = "Enabled"
  }
}

# expect: none
resource "aws_s3_bucket_logging" "good" {
  bucket        = aws_s3_bucket.good.id
  target_bucket = "corpus-logs"
  target_prefix = "good/"
}

# expect: none
resource "aws_s3_bucket_policy" "good" {
  bucket = aws_s3_bucket.good.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::corpus-good", "arn:aws:s3:::corpus-good/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

# expect: aws-s3-bucket-public-access-block, aws-s3-bucket-secure-transport, aws-s3-bucket-versioning, aws-s3-bucket-access-logging, aws-s3-bucket-public-acl
resource "aws_s3_bucket" "open" {
  bucket = "corpus-open"
  acl    = "public-read"
}

# expect: aws-s3-public-access-block-settings
resource "aws_s3_bucket_public_access_block" "loose" {
  bucket                  = aws_s3_bucket.open.id
  block_public_acls       = false
  block_public_policy     = true
  ignore_public_acls      = false
  restrict_public_buckets = true
}

# expect: aws-s3-bucket-policy-public
resource "aws_s3_bucket_policy" "open" {
  bucket = aws_s3_bucket.open.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::corpus-open/*"
    }]
  })
}

# expect: aws-s3-bucket-kms-encryption
resource "aws_s3_bucket_server_side_encryption_configuration" "aes" {
  bucket = aws_s3_bucket.open.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# expect: aws-s3-bucket-encryption, aws-s3-bucket-public-access-block, aws-s3-bucket-secure-transport, aws-s3-bucket-versioning, aws-s3-bucket-access-logging
resource "aws_s3_bucket" "bare" {
  bucket = "corpus-bare"
}

# expect: none
resource "aws_ebs_volume" "good" {
  availability_zone = "eu-west-1a"
  size              = 40
  encrypted         = true
}

# expect: aws-ebs-volume-encrypted
resource "aws_ebs_volume" "plain" {
  availability_zone = "eu-west-1a"
  size              = 40
}

# expect: none
resource "aws_efs_file_system" "good" {
  encrypted = true
}

# expect: aws-efs-encrypted
resource "aws_efs_file_system" "plain" {
  creation_token = "plain"
}

# expect: aws-ebs-default-encryption
resource "aws_ebs_encryption_by_default" "off" {
  enabled = false
}
