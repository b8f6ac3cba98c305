# expect: none
resource "aws_security_group" "internal" {
  name = "corpus-internal"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

# expect: aws-sg-ssh-open
resource "aws_security_group" "ssh" {
  name = "corpus-ssh"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# expect: aws-sg-rdp-open
resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  security_group_id = "sg-0123456789abcdef0"
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  ipv6_cidr_blocks  = ["::/0"]
}

# expect: aws-sg-all-ports-open, aws-sg-ssh-open, aws-sg-rdp-open, aws-sg-database-ports-open
resource "aws_security_group" "everything" {
  name = "corpus-everything"
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# expect: aws-sg-database-ports-open
resource "aws_vpc_security_group_ingress_rule" "postgres" {
  security_group_id = "sg-0123456789abcdef0"
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 5432
  to_port           = 5432
  ip_protocol       = "tcp"
}

# expect: none
resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = "sg-0123456789abcdef0"
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

# expect: aws-default-sg-closed
resource "aws_default_security_group" "default" {
  vpc_id = "vpc-0123456789abcdef0"
  ingress {
    protocol  = "-1"
    self      = true
    from_port = 0
    to_port   = 0
  }
}

# expect: aws-nacl-admin-ports-open
resource "aws_network_acl_rule" "ssh" {
  network_acl_id = "acl-0123456789abcdef0"
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}

# expect: none
resource "aws_vpc" "logged" {
  cidr_block = "10.10.0.0/16"
}

# expect: none
resource "aws_flow_log" "logged" {
  vpc_id          = aws_vpc.logged.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::corpus-flow-logs"
}

# expect: aws-vpc-flow-logs
resource "aws_vpc" "unlogged" {
  cidr_block = "10.20.0.0/16"
}

# expect: aws-subnet-no-public-ip
resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.unlogged.id
  cidr_block              = "10.20.1.0/24"
  map_public_ip_on_launch = true
}

# expect: none
resource "aws_instance" "good" {
  ami                  = "ami-0123456789abcdef0"
  instance_type        = "t3.small"
  monitoring           = true
  iam_instance_profile = "corpus-app"
  metadata_options {
    http_tokens = "required"
  }
  root_block_device {
    encrypted = true
  }
}

# expect: aws-ec2-imdsv2, aws-ec2-root-volume-encrypted, aws-ec2-public-ip, aws-ec2-detailed-monitoring, aws-ec2-instance-profile
resource "aws_instance" "legacy" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.small"
  associate_public_ip_address = true
}
