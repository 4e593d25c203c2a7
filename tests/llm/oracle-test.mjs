// Oracle test: fluid-host against llama.cpp (node-llama-cpp) on one
// generated model. Generates the model with mkmodel, then
//   * for every prompt below, the prompt token ids must be equal;
//   * for the first two, the greedy continuation of 32 tokens must be equal,
//     except that a difference is accepted where fluid-host reports that the
//     top-2 logit gap at the first differing position is under 0.05 (a
//     near-tie that rounding order can flip, not a bug).
// usage: node oracle-test.mjs MKMODEL FLUID_HOST WORKDIR NAME [--portable] [mkmodel args...]
//        node oracle-test.mjs - FLUID_HOST WORKDIR NAME --model FILE.gguf   (an existing model, e.g. models/default.gguf)
import {getLlama} from "node-llama-cpp";
import {spawnSync} from "node:child_process";
import {mkdirSync} from "node:fs";
import path from "node:path";

const [, , mkmodel, fluidHost, workdir, name, ...rest] = process.argv;
// --portable is for fluid-host (its non-AVX2 code paths); the rest is mkmodel's.
const fluidExtra = rest.filter((arg) => arg === "--portable");
const modelIndex = rest.indexOf("--model");
const existingModel = modelIndex >= 0 ? rest[modelIndex + 1] : null;
const mkmodelArgs = rest.filter((arg, i) => arg !== "--portable" && (modelIndex < 0 || (i !== modelIndex && i !== modelIndex + 1)));
if (!name) {
    console.error("usage: node oracle-test.mjs MKMODEL FLUID_HOST WORKDIR NAME [mkmodel args...]");
    process.exit(2);
}
const tokens = 32;
const gapTolerance = 0.05;
const prompts = [
    "Once upon a time, the girl walked to the river",
    "The bird could not fly.\nShe picked it up and took it home.",
    "",
    " ",
    "  leading and  double   spaces  ",
    "line one\nline two\n\n\ttabbed\r\n",
    "Unicode: café, naïve, 日本語, emoji 🦙 and ∑x²",
    "byte fallback: ~`|{}[]<>@#$%^&*_+=\\ \u0001\u007f",
    "<s> not special </s> <unk>",
    "the the the and and ing ed",
];

function fail(message) {
    console.error(`FAIL ${name}: ${message}`);
    process.exit(1);
}

function run(command, args) {
    const result = spawnSync(command, args, {encoding: "utf8", maxBuffer: 1 << 26});
    if (result.status !== 0)
        fail(`${path.basename(command)} ${args.join(" ")} exited with ${result.status}: ${result.stderr}`);
    return result.stdout;
}

mkdirSync(workdir, {recursive: true});
const modelPath = existingModel ?? path.join(workdir, `${name}.gguf`);
if (!existingModel)
    run(mkmodel, ["--out", modelPath, ...mkmodelArgs]);

const llama = await getLlama({gpu: false, build: "never", logLevel: "error"});
const model = await llama.loadModel({modelPath});
const context = await model.createContext({contextSize: 256, flashAttention: false, threads: 1, batchSize: 512});

function llamaPromptIds(prompt) {
    const ids = Array.from(model.tokenize(prompt, false));
    if (model.tokens.shouldPrependBosToken && model.tokens.bos != null)
        ids.unshift(model.tokens.bos);
    return ids;
}

async function llamaGenerate(promptIds) {
    const sequence = context.getSequence();
    const generated = [];
    let stopped = false;
    for await (const token of sequence.evaluate(promptIds, {temperature: 0})) {
        generated.push(token);
        if (generated.length >= tokens || token === model.tokens.eos) {
            stopped = true;
            break;
        }
    }
    // node-llama-cpp ends the generator at an end-of-generation token
    // without yielding it; fluid-host reports EOS as its last token.
    if (!stopped && generated.length < tokens)
        generated.push(model.tokens.eos);
    sequence.dispose();
    return generated;
}

function fluid(prompt, count) {
    const out = run(fluidHost, ["generate", modelPath, prompt, "--tokens", String(count), "--threads", "1", "--ids",
                                "--dump-gap", "--context", "256", ...fluidExtra]);
    const lines = out.trim().split("\n");
    return JSON.parse(lines[lines.length - 1]);
}

let generations = 0;
for (const [index, prompt] of prompts.entries()) {
    const expected = llamaPromptIds(prompt);
    const generate = index < 2;
    const ours = fluid(prompt, generate ? tokens : 0);
    if (JSON.stringify(ours.prompt_ids) !== JSON.stringify(expected))
        fail(`prompt ${JSON.stringify(prompt)}: fluid ${JSON.stringify(ours.prompt_ids)} != llama.cpp ${JSON.stringify(expected)}`);
    if (!generate)
        continue;
    const theirs = await llamaGenerate(expected);
    const mine = ours.generated_ids;
    const length = Math.max(mine.length, theirs.length);
    for (let i = 0; i < length; ++i) {
        if (mine[i] === theirs[i])
            continue;
        const gap = ours.gaps[i];
        const where = `prompt ${index} token ${i}: fluid ${mine[i]} llama.cpp ${theirs[i]}, top-2 gap ${gap}`;
        if (!(gap < gapTolerance))
            fail(`greedy continuations differ at ${where}\n  fluid     ${JSON.stringify(mine)}\n  llama.cpp ${JSON.stringify(theirs)}`);
        console.log(`near-tie accepted at ${where}`);
        break;
    }
    ++generations;
}
console.log(`PASS ${name}: ${prompts.length} prompts tokenized alike, ${generations} greedy continuations of ${tokens} tokens agree`);
await context.dispose();
await model.dispose();
await llama.dispose();
