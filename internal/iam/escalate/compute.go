package escalate

import (
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/glob"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/tri"
)

// computeSpecs describe the compute methods (computeMethods), which run
// code as a role: pass a role to new compute (EC2,
// Lambda, Glue, CloudFormation, CodeBuild, SageMaker, ECS, Data Pipeline,
// Auto Scaling, App Runner, Bedrock AgentCore), or reuse compute that
// already carries one (Lambda code, CloudFormation stacks, SSM, EC2 user
// data and launch templates, EC2 Instance Connect, ECS exec, Glue
// development endpoints, CodeBuild projects, SageMaker notebooks, App
// Runner services, AgentCore code interpreters).
//
// Each method lists its labelled ways (Variant, with the pathfinding.cloud
// ids it covers); a hop carries the label of the way it was found by, the
// most certain one allowed, the first listed among equals.
var computeSpecs = []computeSpec{
	passRoleWay{
		name: "iam:PassRole+ec2:RunInstances",
		doc: "Pass a role trusting ec2.amazonaws.com to a new EC2 instance (ec2:RunInstances, or a Spot Instance " +
			"request: ec2:RequestSpotInstances) through an instance profile the code declares for it, or one it creates " +
			"(iam:CreateInstanceProfile, iam:AddRoleToInstanceProfile), and read the role's credentials on the instance. " +
			"A role no instance profile of the code holds gives a possible hop: a profile may exist outside the code.",
		service: "ec2.amazonaws.com", trusts: []string{"ec2.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+ec2:RunInstances", ids("ec2-001"), "Certain when iam:PassRole (to ec2.amazonaws.com) and "+
				"ec2:RunInstances are allowed, the role's trust admits ec2.amazonaws.com and an instance profile the code "+
				"declares holds the role (or the principal may create one); possible when no profile of the code holds it.",
				"ec2:RunInstances"),
			mk("iam:PassRole+ec2:RequestSpotInstances", ids("ec2-003"), "Certain, as with ec2:RunInstances, when "+
				"iam:PassRole and ec2:RequestSpotInstances are allowed, the role's trust admits ec2.amazonaws.com and an "+
				"instance profile of the code holds the role (or may be created); possible when none of the code holds it.",
				"ec2:RequestSpotInstances").what("a new Spot Instance"),
		},
		profile: true, what: "a new EC2 instance",
	},
	passRoleWay{
		name: "iam:PassRole+lambda:CreateFunction",
		doc: "Pass a role trusting lambda.amazonaws.com to a new Lambda function (lambda:CreateFunction) and run it: " +
			"invoke it (lambda:InvokeFunction), map an event source to it (lambda:CreateEventSourceMapping), or grant a " +
			"principal of the attacker's the right to invoke it (lambda:AddPermission).",
		service: "lambda.amazonaws.com", trusts: []string{"lambda.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+lambda:CreateFunction+lambda:InvokeFunction", ids("lambda-001"), "Certain when iam:PassRole "+
				"(to lambda.amazonaws.com), lambda:CreateFunction and lambda:InvokeFunction are allowed and the role's "+
				"trust admits lambda.amazonaws.com.", "lambda:CreateFunction", "lambda:InvokeFunction"),
			mk("iam:PassRole+lambda:CreateFunction+lambda:CreateEventSourceMapping", ids("lambda-002"), "Certain when "+
				"iam:PassRole, lambda:CreateFunction and lambda:CreateEventSourceMapping are allowed and the role's trust "+
				"admits lambda.amazonaws.com; the event source (a queue or stream the attacker writes to) is not checked.",
				"lambda:CreateFunction", "lambda:CreateEventSourceMapping"),
			mk("iam:PassRole+lambda:CreateFunction+lambda:AddPermission", ids("lambda-006"), "Certain when iam:PassRole, "+
				"lambda:CreateFunction and lambda:AddPermission are allowed and the role's trust admits "+
				"lambda.amazonaws.com: the function's resource policy then lets a principal of the attacker's choosing "+
				"invoke it, which the principal's own policies do not limit.", "lambda:CreateFunction", "lambda:AddPermission"),
		},
		what: "a new Lambda function",
	},
	passRoleWay{
		name: "iam:PassRole+glue:CreateDevEndpoint",
		doc: "Pass a role trusting glue.amazonaws.com to a new Glue development endpoint (glue:CreateDevEndpoint) and log " +
			"in to it, or to a new Glue job (glue:CreateJob) started by a job run (glue:StartJobRun) or a trigger " +
			"(glue:CreateTrigger), and run code as it.",
		service: "glue.amazonaws.com", trusts: []string{"glue.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+glue:CreateDevEndpoint", ids("glue-001"), "Certain when iam:PassRole (to glue.amazonaws.com) "+
				"and glue:CreateDevEndpoint are allowed and the role's trust admits glue.amazonaws.com.",
				"glue:CreateDevEndpoint").what("a new Glue development endpoint"),
			mk("iam:PassRole+glue:CreateJob+glue:StartJobRun", ids("glue-003"), "Certain when iam:PassRole, "+
				"glue:CreateJob and glue:StartJobRun are allowed and the role's trust admits glue.amazonaws.com.",
				"glue:CreateJob", "glue:StartJobRun").what("a new Glue job"),
			mk("iam:PassRole+glue:CreateJob+glue:CreateTrigger", ids("glue-004"), "Certain when iam:PassRole, "+
				"glue:CreateJob and glue:CreateTrigger (a trigger that starts the job) are allowed and the role's trust "+
				"admits glue.amazonaws.com.", "glue:CreateJob", "glue:CreateTrigger").what("a new Glue job"),
		},
		what: "new Glue compute",
	},
	passRoleWay{
		name: "iam:PassRole+glue:UpdateJob",
		doc: "Update a Glue job (glue:UpdateJob) to a script of the attacker's and a role trusting glue.amazonaws.com it " +
			"passes, then run it (glue:StartJobRun, or a trigger: glue:CreateTrigger). The job must exist: one the code " +
			"declares makes the hop certain; when none of the code's is allowed (or none is declared) the hop is " +
			"possible, as a job may exist outside the code.",
		service: "glue.amazonaws.com", trusts: []string{"glue.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+glue:UpdateJob+glue:StartJobRun", ids("glue-005"), "Certain when the code declares a Glue "+
				"job on which glue:UpdateJob and glue:StartJobRun are allowed, iam:PassRole (to glue.amazonaws.com) is "+
				"allowed and the role's trust admits glue.amazonaws.com; possible when no Glue job of the code allows it.",
				"glue:UpdateJob", "glue:StartJobRun").on(glueJobs, "Glue job"),
			mk("iam:PassRole+glue:UpdateJob+glue:CreateTrigger", ids("glue-006"), "Certain when the code declares a Glue "+
				"job on which glue:UpdateJob is allowed, glue:CreateTrigger and iam:PassRole (to glue.amazonaws.com) are "+
				"allowed and the role's trust admits glue.amazonaws.com; possible when no Glue job of the code allows it.",
				"glue:UpdateJob", "glue:CreateTrigger").fresh("glue:CreateTrigger").on(glueJobs, "Glue job"),
		},
		what: "Glue job",
	},
	passRoleWay{
		name: "iam:PassRole+cloudformation:CreateStack",
		doc: "Pass a role trusting cloudformation.amazonaws.com to a new CloudFormation stack (cloudformation:CreateStack) " +
			"whose template creates whatever the role may create.",
		service: "cloudformation.amazonaws.com", trusts: []string{"cloudformation.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+cloudformation:CreateStack", ids("cloudformation-001"), "Certain when iam:PassRole (to "+
				"cloudformation.amazonaws.com) and cloudformation:CreateStack are allowed and the role's trust admits "+
				"cloudformation.amazonaws.com.", "cloudformation:CreateStack"),
		},
		what: "a new CloudFormation stack",
	},
	passRoleWay{
		name: "iam:PassRole+cloudformation:CreateStackSet",
		doc: "Pass a role trusting cloudformation.amazonaws.com as the administration role of a self-managed " +
			"CloudFormation stack set, a new one (cloudformation:CreateStackSet and cloudformation:CreateStackInstances) " +
			"or one the code declares (cloudformation:UpdateStackSet). The administration role only assumes the execution " +
			"role (AWSCloudFormationStackSetExecutionRole, or the name the attacker gives) in the target accounts, and the " +
			"execution role is what runs the template: the hop leads to each role of the code the administration role " +
			"may assume; when the code declares none, to administrator, possibly, as the execution role is not known " +
			"from code.",
		service: "cloudformation.amazonaws.com", trusts: []string{"cloudformation.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+cloudformation:CreateStackSet+cloudformation:CreateStackInstances", ids("cloudformation-003"),
				"Certain when iam:PassRole (to cloudformation.amazonaws.com), cloudformation:CreateStackSet and "+
					"cloudformation:CreateStackInstances are allowed, the passed role's trust admits "+
					"cloudformation.amazonaws.com and the passed role certainly assumes an execution role the code declares.",
				"cloudformation:CreateStackSet", "cloudformation:CreateStackInstances").what("a new stack set"),
			mk("iam:PassRole+cloudformation:UpdateStackSet", ids("cloudformation-004"), "Certain when the code declares "+
				"a stack set on which cloudformation:UpdateStackSet is allowed, iam:PassRole (to "+
				"cloudformation.amazonaws.com) is allowed, the passed role's trust admits cloudformation.amazonaws.com "+
				"and it certainly assumes an execution role the code declares; possible when no stack set of the code "+
				"allows it.", "cloudformation:UpdateStackSet").on(stackSets, "stack set"),
		},
		what:   "a stack set",
		runsAs: stackSetExecution,
	},
	passRoleWay{
		name: "iam:PassRole+codebuild:CreateProject",
		doc: "Pass a role trusting codebuild.amazonaws.com to a new CodeBuild project (codebuild:CreateProject) and run a " +
			"build or a batch of builds (codebuild:StartBuild, codebuild:StartBuildBatch) whose buildspec acts as the role.",
		service: "codebuild.amazonaws.com", trusts: []string{"codebuild.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+codebuild:CreateProject+codebuild:StartBuild", ids("codebuild-001"), "Certain when "+
				"iam:PassRole (to codebuild.amazonaws.com), codebuild:CreateProject and codebuild:StartBuild are allowed "+
				"and the role's trust admits codebuild.amazonaws.com.", "codebuild:CreateProject", "codebuild:StartBuild"),
			mk("iam:PassRole+codebuild:CreateProject+codebuild:StartBuildBatch", ids("codebuild-004"), "Certain when "+
				"iam:PassRole, codebuild:CreateProject and codebuild:StartBuildBatch are allowed and the role's trust "+
				"admits codebuild.amazonaws.com.", "codebuild:CreateProject", "codebuild:StartBuildBatch"),
		},
		what: "a new CodeBuild project",
	},
	passRoleWay{
		name: "iam:PassRole+sagemaker:CreateNotebookInstance",
		doc: "Pass a role trusting sagemaker.amazonaws.com to a new SageMaker notebook instance and open it " +
			"(sagemaker:CreateNotebookInstance and sagemaker:CreatePresignedNotebookInstanceUrl: without the URL the " +
			"notebook cannot be reached), or to a training or processing job whose container runs the attacker's code " +
			"(sagemaker:CreateTrainingJob, sagemaker:CreateProcessingJob).",
		service: "sagemaker.amazonaws.com", trusts: []string{"sagemaker.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+sagemaker:CreateNotebookInstance", ids("sagemaker-001"), "Certain when iam:PassRole (to "+
				"sagemaker.amazonaws.com), sagemaker:CreateNotebookInstance and "+
				"sagemaker:CreatePresignedNotebookInstanceUrl (to open the notebook) are allowed and the role's trust "+
				"admits sagemaker.amazonaws.com.", "sagemaker:CreateNotebookInstance",
				"sagemaker:CreatePresignedNotebookInstanceUrl").what("a new SageMaker notebook instance"),
			mk("iam:PassRole+sagemaker:CreateTrainingJob", ids("sagemaker-002"), "Certain when iam:PassRole and "+
				"sagemaker:CreateTrainingJob are allowed and the role's trust admits sagemaker.amazonaws.com.",
				"sagemaker:CreateTrainingJob").what("a new SageMaker training job"),
			mk("iam:PassRole+sagemaker:CreateProcessingJob", ids("sagemaker-003"), "Certain when iam:PassRole and "+
				"sagemaker:CreateProcessingJob are allowed and the role's trust admits sagemaker.amazonaws.com.",
				"sagemaker:CreateProcessingJob").what("a new SageMaker processing job"),
		},
		what: "new SageMaker compute",
	},
	passRoleWay{
		name: "iam:PassRole+ecs:RunTask",
		doc: "Pass a role trusting ecs-tasks.amazonaws.com as the task role of a new ECS task definition " +
			"(ecs:RegisterTaskDefinition) and run it (ecs:RunTask, ecs:StartTask or ecs:CreateService) in a cluster: one " +
			"the code declares, or a new one (ecs:CreateCluster). With no cluster in the code and none to create, the hop " +
			"is possible: a cluster may exist outside the code.",
		service: "ecs-tasks.amazonaws.com", trusts: []string{"ecs-tasks.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+ecs:RegisterTaskDefinition+ecs:RunTask", ids("ecs-004"), "Certain when the code declares an "+
				"ECS cluster, iam:PassRole (to ecs-tasks.amazonaws.com), ecs:RegisterTaskDefinition and ecs:RunTask are "+
				"allowed and the role's trust admits ecs-tasks.amazonaws.com; possible when no cluster is declared.",
				"ecs:RegisterTaskDefinition", "ecs:RunTask").anyCluster(),
			mk("iam:PassRole+ecs:RegisterTaskDefinition+ecs:StartTask", ids("ecs-005"), "Certain when the code declares an "+
				"ECS cluster, iam:PassRole, ecs:RegisterTaskDefinition and ecs:StartTask are allowed and the role's trust "+
				"admits ecs-tasks.amazonaws.com (the cluster's container instances are not checked); possible when no "+
				"cluster is declared.", "ecs:RegisterTaskDefinition", "ecs:StartTask").anyCluster(),
			mk("iam:PassRole+ecs:RegisterTaskDefinition+ecs:CreateService", ids("ecs-003"), "Certain when the code "+
				"declares an ECS cluster, iam:PassRole, ecs:RegisterTaskDefinition and ecs:CreateService are allowed and "+
				"the role's trust admits ecs-tasks.amazonaws.com; possible when no cluster is declared.",
				"ecs:RegisterTaskDefinition", "ecs:CreateService").anyCluster(),
			mk("iam:PassRole+ecs:CreateCluster+ecs:RegisterTaskDefinition+ecs:CreateService", ids("ecs-001"), "Certain "+
				"when iam:PassRole, ecs:CreateCluster, ecs:RegisterTaskDefinition and ecs:CreateService are allowed and "+
				"the role's trust admits ecs-tasks.amazonaws.com.", "ecs:CreateCluster", "ecs:RegisterTaskDefinition",
				"ecs:CreateService"),
			mk("iam:PassRole+ecs:CreateCluster+ecs:RegisterTaskDefinition+ecs:RunTask", ids("ecs-002"), "Certain when "+
				"iam:PassRole, ecs:CreateCluster, ecs:RegisterTaskDefinition and ecs:RunTask are allowed and the role's "+
				"trust admits ecs-tasks.amazonaws.com.", "ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:RunTask"),
		},
		what: "a new ECS task",
	},
	passRoleWay{
		name: "iam:PassRole+datapipeline:CreatePipeline",
		doc: "Pass a role trusting datapipeline.amazonaws.com or elasticmapreduce.amazonaws.com to a new Data Pipeline " +
			"(datapipeline:CreatePipeline, datapipeline:PutPipelineDefinition, datapipeline:ActivatePipeline) whose " +
			"activities run commands as the role.",
		service: "datapipeline.amazonaws.com", trusts: []string{"datapipeline.amazonaws.com", "elasticmapreduce.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+datapipeline:CreatePipeline+datapipeline:PutPipelineDefinition+datapipeline:ActivatePipeline",
				ids("datapipeline-001"), "Certain when iam:PassRole (to datapipeline.amazonaws.com), "+
					"datapipeline:CreatePipeline, datapipeline:PutPipelineDefinition and datapipeline:ActivatePipeline are "+
					"allowed and the role's trust admits datapipeline.amazonaws.com or elasticmapreduce.amazonaws.com.",
				"datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"),
		},
		what: "a new Data Pipeline",
	},
	passRoleWay{
		name: "iam:PassRole+autoscaling:CreateAutoScalingGroup",
		doc: "Pass a role trusting ec2.amazonaws.com, through an instance profile, to a new launch configuration " +
			"(autoscaling:CreateLaunchConfiguration) or launch template (ec2:CreateLaunchTemplate) and start instances " +
			"from it (autoscaling:CreateAutoScalingGroup).",
		service: "ec2.amazonaws.com", trusts: []string{"ec2.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+autoscaling:CreateLaunchConfiguration+autoscaling:CreateAutoScalingGroup", nil, "Certain "+
				"when iam:PassRole (to ec2.amazonaws.com), autoscaling:CreateLaunchConfiguration and "+
				"autoscaling:CreateAutoScalingGroup are allowed, the role's trust admits ec2.amazonaws.com and an "+
				"instance profile of the code holds the role (or may be created); possible when none of the code holds it.",
				"autoscaling:CreateLaunchConfiguration", "autoscaling:CreateAutoScalingGroup"),
			mk("iam:PassRole+ec2:CreateLaunchTemplate+autoscaling:CreateAutoScalingGroup", nil, "Certain when "+
				"iam:PassRole, ec2:CreateLaunchTemplate and autoscaling:CreateAutoScalingGroup are allowed, the role's "+
				"trust admits ec2.amazonaws.com and an instance profile of the code holds the role (or may be created); "+
				"possible when none of the code holds it.", "ec2:CreateLaunchTemplate", "autoscaling:CreateAutoScalingGroup"),
		},
		profile: true, what: "a new Auto Scaling group",
	},
	passRoleWay{
		name: "iam:PassRole+apprunner:CreateService",
		doc: "Pass a role trusting tasks.apprunner.amazonaws.com as the instance role of a new App Runner service " +
			"(apprunner:CreateService) whose code or image is the attacker's.",
		service: "tasks.apprunner.amazonaws.com", trusts: []string{"tasks.apprunner.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+apprunner:CreateService", ids("apprunner-001"), "Certain when iam:PassRole (to "+
				"tasks.apprunner.amazonaws.com) and apprunner:CreateService are allowed and the role's trust admits "+
				"tasks.apprunner.amazonaws.com.", "apprunner:CreateService"),
		},
		what: "a new App Runner service",
	},
	passRoleWay{
		name: "iam:PassRole+bedrock-agentcore:CreateCodeInterpreter",
		doc: "Pass a role trusting bedrock-agentcore.amazonaws.com as the execution role of a new Bedrock AgentCore code " +
			"interpreter (bedrock-agentcore:CreateCodeInterpreter), open a session in it " +
			"(bedrock-agentcore:StartCodeInterpreterSession) and run code as the role " +
			"(bedrock-agentcore:InvokeCodeInterpreter).",
		service: "bedrock-agentcore.amazonaws.com", trusts: []string{"bedrock-agentcore.amazonaws.com"},
		ways: []way{
			mk("iam:PassRole+bedrock-agentcore:CreateCodeInterpreter+bedrock-agentcore:StartCodeInterpreterSession+"+
				"bedrock-agentcore:InvokeCodeInterpreter", ids("bedrock-001"), "Certain when iam:PassRole (to "+
				"bedrock-agentcore.amazonaws.com), bedrock-agentcore:CreateCodeInterpreter, "+
				"bedrock-agentcore:StartCodeInterpreterSession and bedrock-agentcore:InvokeCodeInterpreter are allowed "+
				"and the role's trust admits bedrock-agentcore.amazonaws.com.", "bedrock-agentcore:CreateCodeInterpreter",
				"bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"),
		},
		what: "a new AgentCore code interpreter",
	},
	reuseWay{
		name: "lambda:UpdateFunctionCode",
		doc: "Replace the code of a Lambda function the code declares with the role as its execution role " +
			"(lambda:UpdateFunctionCode), then invoke it (lambda:InvokeFunction), let a principal of the attacker's invoke " +
			"it (lambda:AddPermission), or wait for its triggers to fire.",
		ways: []way{
			mk("lambda:UpdateFunctionCode+lambda:InvokeFunction", ids("lambda-004"), "Certain when "+
				"lambda:UpdateFunctionCode and lambda:InvokeFunction are allowed on a function the code declares whose "+
				"execution role is known from code.", "lambda:UpdateFunctionCode", "lambda:InvokeFunction"),
			mk("lambda:UpdateFunctionCode+lambda:AddPermission", ids("lambda-005"), "Certain when "+
				"lambda:UpdateFunctionCode and lambda:AddPermission are allowed on a function the code declares whose "+
				"execution role is known from code.", "lambda:UpdateFunctionCode", "lambda:AddPermission"),
			mk("lambda:UpdateFunctionCode", ids("lambda-003"), "Certain when lambda:UpdateFunctionCode is allowed on a "+
				"function the code declares whose execution role is known from code: the new code runs when the "+
				"function's triggers next fire.", "lambda:UpdateFunctionCode"),
		},
		find: lambdaTargets,
	},
	reuseWay{
		name: "cloudformation:UpdateStack",
		doc: "Update a CloudFormation stack the code declares with the role as its service role (cloudformation:UpdateStack, " +
			"or cloudformation:CreateChangeSet and cloudformation:ExecuteChangeSet) to a template that acts as the role.",
		ways: []way{
			mk("cloudformation:UpdateStack", ids("cloudformation-002"), "Certain when cloudformation:UpdateStack is "+
				"allowed on a stack the code declares whose service role is known from code.", "cloudformation:UpdateStack"),
			mk("cloudformation:CreateChangeSet+cloudformation:ExecuteChangeSet", ids("cloudformation-005"), "Certain "+
				"when cloudformation:CreateChangeSet and cloudformation:ExecuteChangeSet are allowed on a stack the code "+
				"declares whose service role is known from code.", "cloudformation:CreateChangeSet",
				"cloudformation:ExecuteChangeSet"),
		},
		find: stackTargets,
	},
	reuseWay{
		name: "ssm:SendCommand",
		doc:  "Run a command (ssm:SendCommand) on an EC2 instance the code declares whose instance profile holds the role.",
		ways: []way{
			mk("ssm:SendCommand", ids("ssm-002"), "Certain when ssm:SendCommand is allowed on an instance the code "+
				"declares whose instance profile's role is known from code (the SSM agent is not checked).", "ssm:SendCommand"),
		},
		find: instanceTargets,
	},
	reuseWay{
		name: "ssm:StartSession",
		doc:  "Open a Session Manager shell (ssm:StartSession) on an EC2 instance the code declares whose instance profile holds the role.",
		ways: []way{
			mk("ssm:StartSession", ids("ssm-001"), "Certain when ssm:StartSession is allowed on an instance the code "+
				"declares whose instance profile's role is known from code (the SSM agent is not checked).", "ssm:StartSession"),
		},
		find: instanceTargets,
	},
	reuseWay{
		name: "ec2-instance-connect:SendSSHPublicKey",
		doc: "Push an SSH key to an EC2 instance the code declares whose instance profile holds the role " +
			"(ec2-instance-connect:SendSSHPublicKey), log in and read the role's credentials.",
		ways: []way{
			mk("ec2-instance-connect:SendSSHPublicKey", ids("ec2instanceconnect-003"), "Certain when "+
				"ec2-instance-connect:SendSSHPublicKey is allowed on an instance the code declares whose instance "+
				"profile's role is known from code; ec2:DescribeInstances (to find its address), the Instance Connect "+
				"agent and network reachability are not checked.", "ec2-instance-connect:SendSSHPublicKey"),
		},
		find: instanceTargets,
	},
	reuseWay{
		name: "ec2:ModifyInstanceAttribute",
		doc: "Stop an EC2 instance the code declares whose instance profile holds the role, replace its user data and start " +
			"it again (ec2:StopInstances, ec2:ModifyInstanceAttribute, ec2:StartInstances).",
		ways: []way{
			mk("ec2:ModifyInstanceAttribute", ids("ec2-002"), "Certain when ec2:StopInstances, "+
				"ec2:ModifyInstanceAttribute and ec2:StartInstances are allowed on an instance the code declares whose "+
				"instance profile's role is known from code.", "ec2:StopInstances", "ec2:ModifyInstanceAttribute",
				"ec2:StartInstances"),
		},
		find: instanceTargets,
	},
	reuseWay{
		name: "ec2:CreateLaunchTemplateVersion+ec2:ModifyLaunchTemplate",
		doc: "Add a version with the attacker's user data to a launch template the code declares " +
			"(ec2:CreateLaunchTemplateVersion) and make it the default (ec2:ModifyLaunchTemplate): the instances an Auto " +
			"Scaling group using the template's default or latest version launches next run it as the role of the " +
			"template's instance profile. A group pinned to a version also needs autoscaling:UpdateAutoScalingGroup; an " +
			"EKS managed node group, which copies the template, needs eks:UpdateNodegroupVersion, and its instances run " +
			"as its node role.",
		ways: []way{
			mk("ec2:CreateLaunchTemplateVersion+ec2:ModifyLaunchTemplate", ids("ec2-004"), "Certain when "+
				"ec2:CreateLaunchTemplateVersion and ec2:ModifyLaunchTemplate are allowed on a launch template the code "+
				"declares that an Auto Scaling group uses at its $Default or $Latest version (else "+
				"autoscaling:UpdateAutoScalingGroup is needed too) or an EKS node group uses (with "+
				"eks:UpdateNodegroupVersion), and the instances' role is known from code.",
				"ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"),
		},
		find: launchTemplateTargets,
	},
	reuseWay{
		name: "ecs:ExecuteCommand",
		doc: "Open a shell in a running task (ecs:ExecuteCommand) of an ECS service the code declares whose task definition " +
			"carries the role as task role; a service without execute-command enabled also needs ecs:UpdateService.",
		ways: []way{
			mk("ecs:ExecuteCommand", nil, "Certain when ecs:ExecuteCommand is allowed and a service the code declares runs "+
				"a task definition whose task role is known from code, with execute-command enabled (or "+
				"ecs:UpdateService allowed to enable it).", "ecs:ExecuteCommand"),
		},
		find: ecsTargets,
	},
	reuseWay{
		name: "glue:UpdateDevEndpoint",
		doc: "Add an SSH key of the attacker's to a Glue development endpoint the code declares (glue:UpdateDevEndpoint), " +
			"log in and act as the endpoint's role.",
		ways: []way{
			mk("glue:UpdateDevEndpoint", ids("glue-002"), "Certain when glue:UpdateDevEndpoint is allowed on a development "+
				"endpoint the code declares whose role is known from code.", "glue:UpdateDevEndpoint"),
		},
		find: devEndpointTargets,
	},
	reuseWay{
		name: "codebuild:StartBuild",
		doc: "Start a build or a batch of builds (codebuild:StartBuild, codebuild:StartBuildBatch) of a CodeBuild project the " +
			"code declares with a buildspec override: the build runs as the project's service role.",
		ways: []way{
			mk("codebuild:StartBuild", ids("codebuild-002"), "Certain when codebuild:StartBuild is allowed on a project "+
				"the code declares whose service role is known from code.", "codebuild:StartBuild"),
			mk("codebuild:StartBuildBatch", ids("codebuild-003"), "Certain when codebuild:StartBuildBatch is allowed on "+
				"a project the code declares whose service role is known from code.", "codebuild:StartBuildBatch"),
		},
		find: codeBuildTargets,
	},
	reuseWay{
		name: "sagemaker:CreatePresignedNotebookInstanceUrl",
		doc: "Open a SageMaker notebook instance the code declares (sagemaker:CreatePresignedNotebookInstanceUrl), or " +
			"give it a lifecycle configuration that runs the attacker's script at start " +
			"(sagemaker:CreateNotebookInstanceLifecycleConfig, sagemaker:StopNotebookInstance, " +
			"sagemaker:UpdateNotebookInstance, sagemaker:StartNotebookInstance), and act as its role.",
		ways: []way{
			mk("sagemaker:CreatePresignedNotebookInstanceUrl", ids("sagemaker-004"), "Certain when "+
				"sagemaker:CreatePresignedNotebookInstanceUrl is allowed on a notebook instance the code declares whose "+
				"role is known from code.", "sagemaker:CreatePresignedNotebookInstanceUrl"),
			mk("sagemaker:CreateNotebookInstanceLifecycleConfig+sagemaker:StopNotebookInstance+"+
				"sagemaker:UpdateNotebookInstance+sagemaker:StartNotebookInstance", ids("sagemaker-005"), "Certain when "+
				"sagemaker:CreateNotebookInstanceLifecycleConfig is allowed and sagemaker:StopNotebookInstance, "+
				"sagemaker:UpdateNotebookInstance and sagemaker:StartNotebookInstance are allowed on a notebook instance "+
				"the code declares whose role is known from code.", "sagemaker:CreateNotebookInstanceLifecycleConfig",
				"sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance",
				"sagemaker:StartNotebookInstance").fresh("sagemaker:CreateNotebookInstanceLifecycleConfig"),
		},
		find: notebookTargets,
	},
	reuseWay{
		name: "apprunner:UpdateService",
		doc: "Point an App Runner service the code declares at the attacker's image or code (apprunner:UpdateService): it " +
			"runs as the service's instance role.",
		ways: []way{
			mk("apprunner:UpdateService", ids("apprunner-002"), "Certain when apprunner:UpdateService is allowed on a "+
				"service the code declares whose instance role is known from code.", "apprunner:UpdateService"),
		},
		find: appRunnerTargets,
	},
	reuseWay{
		name: "bedrock-agentcore:StartCodeInterpreterSession",
		doc: "Open a session in a Bedrock AgentCore code interpreter the code declares " +
			"(bedrock-agentcore:StartCodeInterpreterSession) and run code in it (bedrock-agentcore:InvokeCodeInterpreter) " +
			"as its execution role. Read from the Terraform aws_bedrockagentcore_code_interpreter resource " +
			"(execution_role_arn) and CloudFormation's AWS::BedrockAgentCore::CodeInterpreterCustom (ExecutionRoleArn).",
		ways: []way{
			mk("bedrock-agentcore:StartCodeInterpreterSession+bedrock-agentcore:InvokeCodeInterpreter", ids("bedrock-002"),
				"Certain when bedrock-agentcore:StartCodeInterpreterSession and bedrock-agentcore:InvokeCodeInterpreter "+
					"are allowed on a code interpreter the code declares whose execution role is known from code.",
				"bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"),
		},
		find: codeInterpreterTargets,
	},
}

// computeMethods are the methods computeSpecs describe.
var computeMethods = methodsOf(computeSpecs)

// computeSpec is how a compute method is described: new compute a role
// is passed to, or compute the code declares reused.
type computeSpec interface {
	method() Method
	allWays() []way
}

func methodsOf(specs []computeSpec) []Method {
	out := make([]Method, len(specs))
	for i, s := range specs {
		out[i] = s.method()
	}
	return out
}

func (w passRoleWay) method() Method { return passRoleMethod(w) }
func (w passRoleWay) allWays() []way { return w.ways }
func (w reuseWay) method() Method    { return reuseMethod(w) }
func (w reuseWay) allWays() []way    { return w.ways }

// way is one labelled way a method works: the actions it needs, all of
// them.
type way struct {
	Variant
	// actions are needed on the resource the way acts on: the compute
	// reused, an existing resource a new-compute way changes, else any.
	actions []string
	// anyRes are those of actions that create something new, needed on
	// any resource whatever the way acts on.
	anyRes map[string]bool
	// existing lists what a new-compute way acts on (an existing Glue
	// job, stack set) or runs in (within: an ECS cluster); when none the
	// code declares allows it, the way is possible, as one may exist
	// outside the code.
	existing func(c *Context) []existingRes
	kind     string
	within   bool
	// what names the new compute when it differs from the method's.
	whatNew string
}

// mk makes a way.
func mk(label string, catalog []string, certain string, actions ...string) way {
	return way{Variant: Variant{Label: label, Catalog: catalog, Certain: certain}, actions: actions}
}

func ids(ids ...string) []string { return ids }

func (w way) what(s string) way { w.whatNew = s; return w }

// fresh marks actions that create something new (any resource).
func (w way) fresh(actions ...string) way {
	m := map[string]bool{}
	for k := range w.anyRes {
		m[k] = true
	}
	for _, a := range actions {
		m[a] = true
	}
	w.anyRes = m
	return w
}

// on makes the way act on existing resources of a kind.
func (w way) on(existing func(c *Context) []existingRes, kind string) way {
	w.existing, w.kind = existing, kind
	return w
}

// anyCluster: the way runs in an ECS cluster, which the code must declare
// for the hop to be certain; its actions are on any resource.
func (w way) anyCluster() way {
	w = w.fresh(w.actions...).on(ecsClusters, "ECS cluster")
	w.within = true
	return w
}

func waysVariants(ws []way) []Variant {
	out := make([]Variant, len(ws))
	for i, w := range ws {
		out[i] = w.Variant
	}
	return out
}

// existingRes is a resource the code declares that a way acts on.
type existingRes struct {
	res *graph.Resource
	// arn is its ARN; exact when fully known.
	arn   string
	exact bool
}

// unknownPart stands for the parts of an ARN the code does not state.
const unknownPart = iam.UnknownPart

// arnIn builds the ARN of a resource the code declares, with the account
// the code states (else ${Account}) and unknown parts for the rest.
func (c *Context) arnIn(service, resource string) string {
	acct := c.Model.Account
	if acct == "" {
		acct = "${Account}"
	}
	return "arn:aws:" + service + ":" + unknownPart + ":" + acct + ":" + resource
}

// allowedOn evaluates action on a resource whose ARN is exact, or only
// partly known (unknown parts written as unknownPart, the account maybe as
// ${Account}): a statement that covers the partial ARN decides; otherwise
// a statement whose Resource could name it makes the request possible,
// never certain.
func (c *Context) allowedOn(id *iam.Identity, action, arn string, exact bool, ctx map[string][]string) iam.Decision {
	d := c.Allowed(id, action, arn, ctx)
	if exact || arn == "" || d.Allowed != tri.False || len(d.Denies) > 0 {
		return d
	}
	a := c.Allowed(id, action, "", ctx)
	if a.Allowed == tri.False {
		return a
	}
	subject := strings.ReplaceAll(strings.ReplaceAll(arn, unknownPart, "*"), "${Account}", "*")
	var could []*iam.Statement
	for _, st := range a.Allows {
		if couldName(st, subject) {
			could = append(could, st)
		}
	}
	if len(could) == 0 {
		return iam.Decision{Allowed: tri.False}
	}
	return iam.Decision{Allowed: tri.Unknown, Allows: could, Denies: a.Denies}
}

// couldName tells whether a statement's Resource could name some ARN the
// glob subject stands for.
func couldName(st *iam.Statement, subject string) bool {
	if !st.Resource.Present() || st.Resource.Unknown {
		// NotResource, or a Resource not knowable: it may.
		return true
	}
	for _, p := range st.Resource.Values {
		if globsMeet(iam.VarsAsWildcards(p), subject) {
			return true
		}
	}
	return false
}

// globsMeet tells whether two IAM globs (* and ?) match a common string.
func globsMeet(p, q string) bool {
	// memo[i][j]: p[i:] and q[j:] can meet; 0 unknown, 1 yes, 2 no.
	memo := make([][]byte, len(p)+1)
	for i := range memo {
		memo[i] = make([]byte, len(q)+1)
	}
	var meet func(i, j int) bool
	meet = func(i, j int) bool {
		if memo[i][j] != 0 {
			return memo[i][j] == 1
		}
		var ok bool
		switch {
		case i < len(p) && p[i] == '*':
			ok = meet(i+1, j) || (j < len(q) && meet(i, j+1))
		case j < len(q) && q[j] == '*':
			ok = meet(i, j+1) || (i < len(p) && meet(i+1, j))
		case i == len(p) || j == len(q):
			ok = i == len(p) && j == len(q)
		default:
			ok = (p[i] == q[j] || p[i] == '?' || q[j] == '?') && meet(i+1, j+1)
		}
		if ok {
			memo[i][j] = 1
		} else {
			memo[i][j] = 2
		}
		return ok
	}
	return meet(0, 0)
}

// conj is the outcome of a way: whether all its actions are allowed, the
// statements that allow them, and where it acts.
type conj struct {
	t      tri.Tri
	grants []*iam.Statement
	way    *way
	// on is the existing resource the way acts on, nil for none; note
	// says why the way is only possible when it needs one the code does
	// not declare.
	on   *existingRes
	note string
}

// actions renders the way's actions for a hop's detail.
func (cj conj) actions() string { return strings.Join(cj.way.actions, ", ") }

// bestOf evaluates ways, each a set of actions all needed on the resource
// arn ("" for any) or on the existing resources the way names, and returns
// the most certain one, the first among equals.
func (c *Context) bestOf(id *iam.Identity, ways []way, arn string, exact bool) conj {
	best := conj{t: tri.False}
	consider := func(cj conj) bool {
		if cj.t != tri.False && (best.t == tri.False || (best.t == tri.Unknown && cj.t == tri.True)) {
			best = cj
		}
		return best.t == tri.True
	}
	for i := range ways {
		w := &ways[i]
		if w.existing == nil {
			if consider(c.tryWay(id, w, arn, exact)) {
				break
			}
			continue
		}
		ex := w.existing(c)
		done := false
		for j := range ex {
			cj := c.tryWay(id, w, ex[j].arn, ex[j].exact)
			cj.on = &ex[j]
			if done = consider(cj); done {
				break
			}
		}
		if done {
			break
		}
		// None the code declares: one may exist outside it.
		cj := c.tryWay(id, w, "", false)
		cj.t = tri.And(cj.t, tri.Unknown)
		cj.note = "no " + w.kind + " is declared in the code, and one may exist outside it"
		if len(ex) > 0 {
			cj.note = "no " + w.kind + " the code declares allows it, but one may exist outside the code"
		}
		consider(cj)
	}
	return best
}

// tryWay evaluates one way on a resource.
func (c *Context) tryWay(id *iam.Identity, w *way, arn string, exact bool) conj {
	var ds []iam.Decision
	for _, a := range w.actions {
		if w.anyRes[a] {
			ds = append(ds, c.Allowed(id, a, "", nil))
			continue
		}
		ds = append(ds, c.allowedOn(id, a, arn, exact, nil))
	}
	t, grants := All(ds...)
	return conj{t: t, grants: grants, way: w}
}

// passRoleWay describes new compute a role is passed to.
type passRoleWay struct {
	name, doc string
	// service is the iam:PassedToService value of the PassRole check;
	// trusts are the service principals the role's trust must admit (any).
	service string
	trusts  []string
	ways    []way
	// profile: the role goes in through an EC2 instance profile.
	profile bool
	what    string
	// runsAs, when set, gives what the compute given the passed role
	// actually runs as (a stack set's execution roles); nil: the role.
	runsAs func(c *Context, passed *iam.Identity) []runAs
}

// runAs is what compute runs as: a role of the code, or administrator
// possibly when it is not known from code.
type runAs struct {
	to     *Node
	t      tri.Tri
	grants []*iam.Statement
	detail string
}

func passRoleMethod(w passRoleWay) Method {
	return Method{Name: w.name, Doc: w.doc, Variants: waysVariants(w.ways), Find: func(c *Context, from *Node) []Hop {
		id := from.Identity
		if id == nil {
			return nil
		}
		roles := c.serviceRoles(w.trusts)
		if len(roles) == 0 {
			return nil
		}
		pctx := map[string][]string{"iam:PassedToService": {w.service}}
		if c.Allowed(id, "iam:PassRole", "", pctx).Allowed == tri.False {
			return nil
		}
		run := c.bestOf(id, w.ways, "", false)
		if run.t == tri.False {
			return nil
		}
		what, at := w.what, ""
		if run.way.whatNew != "" {
			what = run.way.whatNew
		}
		switch {
		case run.on != nil && run.way.within:
			at = " in " + run.way.kind + " " + run.on.res.Address + ", declared at " + fileLine(run.on.res)
		case run.on != nil:
			what, at = run.way.kind+" "+run.on.res.Address, ", declared at "+fileLine(run.on.res)
		case run.way.existing != nil && !run.way.within:
			what = "a " + run.way.kind
		}
		if run.note != "" {
			at += "; " + run.note
		}
		var out []Hop
		for _, st := range roles {
			pass := c.Allowed(id, "iam:PassRole", st.role.ARN, pctx)
			if pass.Allowed == tri.False {
				continue
			}
			t, grants := All(pass)
			t = tri.And(t, run.t, st.trust)
			grants = append(grants, run.grants...)
			detail := fmt.Sprintf("passes %s to %s (%s)%s", st.role.Label(), what, run.actions(), at)
			if w.profile {
				p := c.instanceProfile(id, st.role)
				t = tri.And(t, p.t)
				grants = append(grants, p.grants...)
				detail += " " + p.what
			}
			if t == tri.False {
				continue
			}
			grants = dedup(append(grants, st.stmts...))
			if w.runsAs == nil {
				out = append(out, Hop{From: from, To: c.IdentityNode(st.role), Method: run.way.Label, Certain: t,
					Grants: grants, Detail: detail})
				continue
			}
			for _, ra := range w.runsAs(c, st.role) {
				rt := tri.And(t, ra.t)
				if rt == tri.False {
					continue
				}
				out = append(out, Hop{From: from, To: ra.to, Method: run.way.Label, Certain: rt,
					Grants: dedup(append(append([]*iam.Statement(nil), grants...), ra.grants...)),
					Detail: detail + ", " + ra.detail})
			}
		}
		return out
	}}
}

// profileWay is how a role gets into an instance profile.
type profileWay struct {
	t      tri.Tri
	grants []*iam.Statement
	what   string
}

// instanceProfile finds an instance profile for role: one the code
// declares with it, or a new one id may create. With neither, one may
// still exist outside the code: possible.
func (c *Context) instanceProfile(id *iam.Identity, role *iam.Identity) profileWay {
	if ps := c.profilesOf(role); len(ps) > 0 {
		return profileWay{t: tri.True, what: "through instance profile " + ps[0].Address}
	}
	t, grants := All(c.Allowed(id, "iam:CreateInstanceProfile", "", nil),
		c.Allowed(id, "iam:AddRoleToInstanceProfile", "", nil))
	if t == tri.True {
		return profileWay{t: t, grants: grants,
			what: "through a new instance profile (iam:CreateInstanceProfile, iam:AddRoleToInstanceProfile)"}
	}
	return profileWay{t: tri.Unknown, grants: grants,
		what: "through an instance profile holding it, which the code does not declare (and the principal may not " +
			"certainly create): one may exist outside the code"}
}

type profilesKey struct{}

// profilesOf returns the aws_iam_instance_profile resources holding role.
func (c *Context) profilesOf(role *iam.Identity) []*graph.Resource {
	idx := graph.Memo(c.Graph, profilesKey{}, func() map[*iam.Identity][]*graph.Resource {
		m := map[*iam.Identity][]*graph.Resource{}
		for _, p := range c.Graph.OfType("aws_iam_instance_profile") {
			for _, r := range c.roleRefs(p, "role").roles {
				m[r] = append(m[r], p)
			}
		}
		return m
	})
	return idx[role]
}

// serviceTrust is a role whose trust admits a service principal.
type serviceTrust struct {
	role  *iam.Identity
	trust tri.Tri
	stmts []*iam.Statement
}

// serviceRolesKey names a set of service principals.
type serviceRolesKey struct{ services string }

// serviceRoles lists the roles whose trust may admit one of the service
// principals, computed once per graph and set of services.
func (c *Context) serviceRoles(services []string) []serviceTrust {
	return graph.Memo(c.Graph, serviceRolesKey{strings.Join(services, ",")}, func() []serviceTrust {
		var out []serviceTrust
		for _, r := range c.Model.SortedIdentities() {
			if r.Kind != iam.Role {
				continue
			}
			if t, stmts := trustsService(r, services); t != tri.False {
				out = append(out, serviceTrust{role: r, trust: t, stmts: stmts})
			}
		}
		return out
	})
}

// trustsService tells whether role's trust policy lets one of the service
// principals call sts:AssumeRole, with the statements that do.
func trustsService(role *iam.Identity, services []string) (tri.Tri, []*iam.Statement) {
	if role.Trust == nil {
		return tri.False, nil
	}
	if role.Trust.Unknown {
		return tri.Unknown, nil
	}
	allow, deny := tri.False, tri.False
	var stmts []*iam.Statement
	for _, st := range role.Trust.Statements {
		act := st.Matches(iam.Request{Action: "sts:AssumeRole", AnyResource: true})
		if act == tri.False {
			continue
		}
		m := tri.And(act, admitsService(st.Principal, services))
		if m == tri.False {
			continue
		}
		switch {
		case st.EffectUnknown:
			allow, deny = tri.Or(allow, tri.Unknown), tri.Or(deny, tri.Unknown)
			stmts = append(stmts, st)
		case st.Effect == iam.Deny:
			deny = tri.Or(deny, m)
		default:
			allow = tri.Or(allow, m)
			stmts = append(stmts, st)
		}
	}
	return tri.And(allow, deny.Not()), stmts
}

// admitsService tells whether a Principal element names one of the
// services (or anyone).
func admitsService(p iam.Principal, services []string) tri.Tri {
	if p.Unknown {
		return tri.Unknown
	}
	if p.Any {
		return tri.True
	}
	s, ok := p.ByKind.Lookup("Service")
	if !ok {
		return tri.False
	}
	for _, v := range s.Values {
		for _, svc := range services {
			if glob.Match(v, svc, true) {
				return tri.True
			}
		}
	}
	if s.Unknown {
		return tri.Unknown
	}
	return tri.False
}

// stackSetExecution is what a stack set whose administration role is
// passed runs its template as: each role of the code the administration
// role may assume (the execution role it names in the target accounts);
// with none, a role the code does not show, so administrator, possibly.
//
// Not memoized in the graph: the hops depend on the analysis's settings
// (its date), and only principals allowed to pass a role to a stack set
// get here.
func stackSetExecution(c *Context, admin *iam.Identity) []runAs {
	var out []runAs
	from := c.IdentityNode(admin)
	for _, e := range c.Model.SortedIdentities() {
		if e.Kind != iam.Role || e == admin {
			continue
		}
		h, ok := c.assumeHop(from, e)
		if !ok {
			continue
		}
		out = append(out, runAs{to: h.To, t: h.Certain, grants: h.Grants,
			detail: fmt.Sprintf("whose template runs as %s, the execution role that %s assumes", e.Label(), admin.Label())})
	}
	if len(out) == 0 {
		out = append(out, runAs{to: c.Admin(), t: tri.Unknown,
			detail: fmt.Sprintf("whose template runs as an execution role that %s assumes in the target accounts; the "+
				"code declares none, so its permissions are not known from code", admin.Label())})
	}
	return out
}

// reuseWay describes compute the code declares that already runs as a
// role.
type reuseWay struct {
	name, doc string
	ways      []way
	find      func(c *Context) []reuseTarget
}

// reuseTarget is one declared resource running as role.
type reuseTarget struct {
	res *graph.Resource
	// role is what it runs as; nil when the code does not show it (why
	// says so): the hop then leads to administrator, possibly.
	role *iam.Identity
	why  string
	// arn is the resource's ARN; exact when fully known.
	arn   string
	exact bool
	// cond caps the hop (ECS exec enabled or not known); extra are
	// actions needed besides the method's when cond is not certain, on
	// extraARN (the resource's own when empty).
	cond       tri.Tri
	extra      []string
	extraARN   string
	extraExact bool
	what       string
}

func reuseMethod(w reuseWay) Method {
	return Method{Name: w.name, Doc: w.doc, Variants: waysVariants(w.ways), Find: func(c *Context, from *Node) []Hop {
		id := from.Identity
		if id == nil {
			return nil
		}
		targets := w.find(c)
		// A principal allowed none of the actions on any resource is
		// not checked against each target.
		if len(targets) == 0 || c.bestOf(id, w.ways, "", false).t == tri.False {
			return nil
		}
		var out []Hop
		for _, tg := range targets {
			run := c.bestOf(id, w.ways, tg.arn, tg.exact)
			if run.t == tri.False {
				continue
			}
			t, grants := run.t, run.grants
			acts := run.actions()
			switch {
			case tg.cond != tri.True && len(tg.extra) > 0:
				// Not enabled (or not known to be): enabling it is needed
				// too, unless it already is.
				arn, exact := tg.extraARN, tg.extraExact
				if arn == "" {
					arn, exact = tg.arn, tg.exact
				}
				ex := c.bestOf(id, []way{{actions: tg.extra}}, arn, exact)
				t = tri.And(t, tri.Or(tg.cond, ex.t))
				grants = append(grants, ex.grants...)
				if ex.t != tri.False {
					acts += ", " + strings.Join(tg.extra, ", ")
				}
			case len(tg.extra) == 0:
				t = tri.And(t, tg.cond)
			}
			to, runs := c.Admin(), "a role not known from code ("+tg.why+")"
			if tg.role != nil {
				to, runs = c.IdentityNode(tg.role), tg.role.Label()
			} else {
				t = tri.And(t, tri.Unknown)
			}
			if t == tri.False {
				continue
			}
			out = append(out, Hop{From: from, To: to, Method: run.way.Label, Certain: t, Grants: dedup(grants),
				Detail: fmt.Sprintf("uses %s %s (%s), which runs as %s", acts, tg.what, fileLine(tg.res), runs)})
		}
		return out
	}}
}

// where renders "aws_lambda_function.f (main.tf:3)".
func where(r *graph.Resource) string {
	if r.Range.Line > 0 {
		return r.Address + " (" + fileLine(r) + ")"
	}
	return r.Address
}

// fileLine renders "main.tf:3", where a resource is declared.
func fileLine(r *graph.Resource) string {
	if r.Range.Line > 0 {
		return fmt.Sprintf("%s:%d", r.Range.File, r.Range.Line)
	}
	return r.Range.File
}

func knownString(v *graph.Value) (string, bool) {
	s, ok := v.StringOr("")
	return s, ok && s != ""
}
