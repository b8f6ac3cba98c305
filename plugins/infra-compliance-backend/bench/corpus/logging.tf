# expect: none
resource "aws_cloudtrail" "good" {
  name                       = "corpus-good"
  s3_bucket_name             = "corpus-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  cloud_watch_logs_group_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:trail:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/trail"
}

# expect: aws-cloudtrail-multi-region, aws-cloudtrail-log-validation, aws-cloudtrail-kms, aws-cloudtrail-cloudwatch
resource "aws_cloudtrail" "minimal" {
  name           = "corpus-minimal"
  s3_bucket_name = "corpus-trail"
}

# expect: none
resource "aws_cloudwatch_log_group" "good" {
  name              = "/corpus/good"
  retention_in_days = 400
  kms_key_id        = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# expect: aws-log-group-retention, aws-log-group-kms
resource "aws_cloudwatch_log_group" "short" {
  name              = "/corpus/short"
  retention_in_days = 7
}

# expect: aws-guardduty-enabled
resource "aws_guardduty_detector" "off" {
  enable = false
}

# expect: aws-config-recorder-all
resource "aws_config_configuration_recorder" "partial" {
  name     = "corpus"
  role_arn = "arn:aws:iam::111122223333:role/config"
  recording_group {
    all_supported = false
  }
}
