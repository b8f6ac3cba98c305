# expect: none
resource "aws_lb" "internal" {
  name                       = "corpus-internal"
  internal                   = true
  load_balancer_type         = "application"
  enable_deletion_protection = true
  drop_invalid_header_fields = true
  access_logs {
    bucket  = "corpus-lb-logs"
    enabled = true
  }
}

# expect: aws-lb-access-logs, aws-lb-deletion-protection, aws-lb-drop-invalid-headers, aws-lb-public-waf
resource "aws_lb" "public" {
  name               = "corpus-public"
  internal           = false
  load_balancer_type = "application"
}

# expect: aws-lb-listener-https
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.public.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/0123456789abcdef"
  }
}

# expect: none
resource "aws_lb_listener" "redirect" {
  load_balancer_arn = aws_lb.public.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

# expect: aws-lb-listener-tls-policy
resource "aws_lb_listener" "old_tls" {
  load_balancer_arn = aws_lb.public.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-2016-08"
  certificate_arn   = "arn:aws:acm:eu-west-1:111122223333:certificate/12345678-1234-1234-1234-123456789012"
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/0123456789abcdef"
  }
}

# expect: none
resource "aws_sqs_queue" "good" {
  name              = "corpus-good"
  kms_master_key_id = "alias/aws/sqs"
}

# expect: aws-sqs-encrypted
resource "aws_sqs_queue" "plain" {
  name                    = "corpus-plain"
  sqs_managed_sse_enabled = false
}

# expect: aws-sqs-policy-public
resource "aws_sqs_queue_policy" "open" {
  queue_url = aws_sqs_queue.plain.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "sqs:SendMessage", Resource = "*" }]
  })
}

# expect: none
resource "aws_sns_topic" "good" {
  name              = "corpus-good"
  kms_master_key_id = "alias/aws/sns"
}

# expect: aws-sns-encrypted
resource "aws_sns_topic" "plain" {
  name = "corpus-plain"
}

# expect: none
resource "aws_api_gateway_stage" "good" {
  stage_name           = "prod"
  rest_api_id          = "a1b2c3d4e5"
  deployment_id        = "abc123"
  xray_tracing_enabled = true
  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:api"
    format          = "$context.requestId"
  }
}

# expect: aws-apigw-stage-logging, aws-apigw-stage-tracing
resource "aws_api_gateway_stage" "quiet" {
  stage_name    = "dev"
  rest_api_id   = "a1b2c3d4e5"
  deployment_id = "abc123"
}
