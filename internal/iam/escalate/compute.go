package escalate

// computeMethods run code as a role: pass a role to new compute (EC2,
// Lambda, Glue, CloudFormation, CodeBuild, SageMaker, ECS, Data Pipeline,
// Auto Scaling), or reuse compute that already carries one (Lambda code,
// CloudFormation stacks, SSM, EC2 user data, ECS exec).
var computeMethods = []Method{}
