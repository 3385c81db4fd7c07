import * as pulumi from "@pulumi/pulumi";
import { deployExample } from "./example/app";
import { readExampleConfig } from "./example/config";

// The example program: a web front and an API, hardened, on one Docker host. See the README.
const cfg = new pulumi.Config("hardened-docker");
const example = deployExample(readExampleConfig(cfg), cfg.getSecret("sshPrivateKey"));

export const dockerHost = example.dockerHost;
export const network = example.network;
export const webUrl = example.webUrl;
export const apiUrl = example.apiUrl;
export const containers = example.containers;
