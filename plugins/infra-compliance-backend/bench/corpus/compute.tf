# expect: none
resource "aws_lambda_function" "good" {
  function_name = "corpus-good"
  role          = "arn:aws:iam::111122223333:role/corpus-lambda"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  kms_key_arn   = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  environment {
    variables = { STAGE = "prod" }
  }
  vpc_config {
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
  tracing_config {
    mode = "Active"
  }
}

# expect: aws-lambda-in-vpc, aws-lambda-tracing, aws-lambda-env-kms
resource "aws_lambda_function" "loose" {
  function_name = "corpus-loose"
  role          = "arn:aws:iam::111122223333:role/corpus-lambda"
  handler       = "index.handler"
  runtime       = "python3.12"
  environment {
    variables = { STAGE = "dev" }
  }
}

# expect: aws-lambda-url-public
resource "aws_lambda_function_url" "open" {
  function_name      = aws_lambda_function.loose.function_name
  authorization_type = "NONE"
}

# expect: aws-lambda-permission-public
resource "aws_lambda_permission" "anyone" {
  statement_id  = "AllowAnyone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.loose.function_name
  principal     = "*"
}

# expect: none
resource "aws_lambda_permission" "bucket" {
  statement_id  = "AllowBucket"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.good.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = "arn:aws:s3:::corpus-good"
}

# expect: none
resource "aws_eks_cluster" "good" {
  name     = "corpus-good"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  vpc_config {
    subnet_ids              = ["subnet-0123456789abcdef0"]
    endpoint_public_access  = false
    endpoint_private_access = true
  }
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  }
}

# expect: aws-eks-public-endpoint, aws-eks-secrets-encryption, aws-eks-control-plane-logging
resource "aws_eks_cluster" "open" {
  name     = "corpus-open"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids             = ["subnet-0123456789abcdef0"]
    endpoint_public_access = true
    public_access_cidrs    = ["0.0.0.0/0"]
  }
}

# expect: none
resource "aws_ecr_repository" "good" {
  name                 = "corpus-good"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
}

# expect: aws-ecr-scan-on-push, aws-ecr-immutable-tags
resource "aws_ecr_repository" "loose" {
  name = "corpus-loose"
}
