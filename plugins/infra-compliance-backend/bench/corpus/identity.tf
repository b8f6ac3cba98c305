# expect: none
resource "aws_iam_policy" "scoped" {
  name = "corpus-scoped"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = ["arn:aws:s3:::corpus-good/*"]
    }]
  })
}

# expect: aws-iam-policy-admin, aws-iam-policy-service-wildcard
resource "aws_iam_policy" "admin" {
  name = "corpus-admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

# expect: aws-iam-policy-service-wildcard
resource "aws_iam_role_policy" "s3_star" {
  name = "corpus-s3-star"
  role = "corpus-app"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "arn:aws:s3:::corpus-good" }]
  })
}

# expect: aws-iam-policy-not-action
resource "aws_iam_policy" "not_action" {
  name = "corpus-not-action"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", NotAction = "iam:*", Resource = "*" }]
  })
}

# expect: aws-iam-admin-policy-attached
resource "aws_iam_role_policy_attachment" "admin" {
  role       = "corpus-app"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# expect: aws-iam-full-access-policy-attached
resource "aws_iam_role_policy_attachment" "ec2_full" {
  role       = "corpus-nodes"
  policy_arn = "arn:aws:iam::aws:policy/AmazonEC2FullAccess"
}

# expect: none
resource "aws_iam_role_policy_attachment" "read_only" {
  role       = "corpus-app"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

# expect: aws-iam-user-direct-policy
resource "aws_iam_user_policy_attachment" "direct" {
  user       = "corpus-person"
  policy_arn = "arn:aws:iam::111122223333:policy/corpus-scoped"
}

# expect: aws-iam-role-trust-public
resource "aws_iam_role" "anyone" {
  name = "corpus-anyone"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }]
  })
}

# expect: none
resource "aws_iam_role" "lambda" {
  name = "corpus-lambda"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

# expect: none
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 16
  password_reuse_prevention = 24
}

# expect: aws-iam-password-length, aws-iam-password-reuse
resource "aws_iam_account_password_policy" "weak" {
  minimum_password_length = 8
}

# expect: none
resource "aws_kms_key" "rotated" {
  description         = "corpus rotated"
  enable_key_rotation = true
}

# expect: aws-kms-key-rotation
resource "aws_kms_key" "static" {
  description = "corpus static"
}

# expect: aws-secret-rotation, aws-secret-cmk
resource "aws_secretsmanager_secret" "plain" {
  name = "corpus/plain"
}

# expect: none
resource "aws_secretsmanager_secret" "good" {
  name       = "corpus/good"
  kms_key_id = aws_kms_key.rotated.arn
}

# expect: none
resource "aws_secretsmanager_secret_rotation" "good" {
  secret_id           = aws_secretsmanager_secret.good.id
  rotation_lambda_arn = "arn:aws:lambda:eu-west-1:111122223333:function:rotate"
  rotation_rules {
    automatically_after_days = 30
  }
}
