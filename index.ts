import * as pulumi from "@pulumi/pulumi";
import { deployExample } from "./example/app";
import { readExampleConfig } from "./example/config";

// The example program: a hardened Docker host, and on it a web front and an API. See the README.
const cfg = new pulumi.Config("hardened-docker");
const example = deployExample(readExampleConfig(cfg), cfg.requireSecret("sshPrivateKey"));

export const address = example.address;
export const dockerEndpoint = example.dockerEndpoint;
export const artifactHashes = example.artifactHashes;
export const daemonJson = example.daemonJson;
export const network = example.network;
export const webUrl = example.webUrl;
export const apiUrl = example.apiUrl;
export const containers = example.containers;
export const complianceReport = example.complianceReport;
export const complianceSummary = example.complianceSummary;
