import * as assert from "node:assert/strict";
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type {
    DefaultSecurityGroupProps,
    InstanceProps,
    LaunchTemplateProps,
    SecurityGroupIngressRuleProps,
    SecurityGroupProps,
    SecurityGroupRuleProps,
    SpotInstanceRequestProps,
    VolumeProps,
} from "../../policy-pack/lib/aws";

// The AWS policies read resources by the provider's property names. These checks fail to compile
// (tsc --noEmit runs on tests) if a name the policies' types declare, at any depth, is not an input
// of @pulumi/aws 7.48.0, or if a value the SDK accepts does not fit the policies' type (the launch
// template's "true"/"false" strings, for one).

type Elem<T> = T extends readonly (infer E)[] ? E : T;

/** The dotted paths of Mine's keys that Theirs lacks, at every depth; never when there are none. */
type StrayKeys<Mine, Theirs, Path extends string = ""> = {
    [K in keyof Mine & string]-?: K extends keyof Theirs
        ? Elem<NonNullable<Mine[K]>> extends object
            ? StrayKeys<Elem<NonNullable<Mine[K]>>, Elem<NonNullable<Theirs[K]>>, `${Path}${K}.`>
            : never
        : `${Path}${K}`;
}[keyof Mine & string];

/** `true` when Mine reads only inputs of Args, with types that fit; otherwise what is wrong. */
type Conforms<Mine, Args> = [StrayKeys<Mine, pulumi.Unwrap<Args>>] extends [never]
    ? pulumi.Unwrap<Args> extends Mine
        ? true
        : { valuesDoNotFit: Mine }
    : { notInputs: StrayKeys<Mine, pulumi.Unwrap<Args>> };

const checked: Record<string, true> = {
    instance: true satisfies Conforms<InstanceProps, aws.ec2.InstanceArgs>,
    spotInstanceRequest: true satisfies Conforms<SpotInstanceRequestProps, aws.ec2.SpotInstanceRequestArgs>,
    launchTemplate: true satisfies Conforms<LaunchTemplateProps, aws.ec2.LaunchTemplateArgs>,
    volume: true satisfies Conforms<VolumeProps, aws.ebs.VolumeArgs>,
    securityGroup: true satisfies Conforms<SecurityGroupProps, aws.ec2.SecurityGroupArgs>,
    defaultSecurityGroup: true satisfies Conforms<DefaultSecurityGroupProps, aws.ec2.DefaultSecurityGroupArgs>,
    securityGroupRule: true satisfies Conforms<SecurityGroupRuleProps, aws.ec2.SecurityGroupRuleArgs>,
    ingressRule: true satisfies Conforms<SecurityGroupIngressRuleProps, aws.vpc.SecurityGroupIngressRuleArgs>,
};

describe("AWS policy property names", () => {
    it("are checked by tsc for every resource type the AWS policies read", () => {
        assert.deepEqual(Object.keys(checked), [
            "instance",
            "spotInstanceRequest",
            "launchTemplate",
            "volume",
            "securityGroup",
            "defaultSecurityGroup",
            "securityGroupRule",
            "ingressRule",
        ]);
    });
});
