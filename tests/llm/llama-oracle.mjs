// The llama.cpp side of the oracle test: loads a GGUF file with
// node-llama-cpp (prebuilt llama.cpp, CPU only), tokenizes a prompt the way
// llama.cpp does (BOS when the model asks for it, no special-token
// parsing) and continues it greedily. Prints one JSON line:
//   {"prompt_ids":[...],"generated_ids":[...],"ms":{...}}
// usage: node llama-oracle.mjs MODEL.gguf PROMPT TOKENS [THREADS]
import {getLlama} from "node-llama-cpp";

const [, , modelPath, prompt, tokenArg, threadArg] = process.argv;
if (!modelPath || prompt === undefined || !tokenArg) {
    console.error("usage: node llama-oracle.mjs MODEL.gguf PROMPT TOKENS [THREADS]");
    process.exit(2);
}
const maxTokens = Number(tokenArg);
const threads = threadArg ? Number(threadArg) : 2;

const loadStart = performance.now();
const llama = await getLlama({gpu: false, build: "never", logLevel: "error"});
const model = await llama.loadModel({modelPath});
const promptIds = Array.from(model.tokenize(prompt, false));
if (model.tokens.shouldPrependBosToken && model.tokens.bos != null)
    promptIds.unshift(model.tokens.bos);
// F16 KV cache (llama.cpp's default) and no flash attention: the numerics
// fluid's engine reproduces.
const context = await model.createContext({
    contextSize: Math.max(64, promptIds.length + maxTokens + 8),
    flashAttention: false,
    threads: {ideal: threads, min: threads},
    batchSize: 512,
});
const sequence = context.getSequence();
const loadMs = performance.now() - loadStart;

const generated = [];
const start = performance.now();
let firstTokenMs = 0;
if (maxTokens > 0) {
    for await (const token of sequence.evaluate(promptIds, {temperature: 0})) {
        if (generated.length === 0)
            firstTokenMs = performance.now() - start;
        generated.push(token);
        if (generated.length >= maxTokens || token === model.tokens.eos)
            break;
    }
    // The generator ends at an end-of-generation token without yielding it.
    if (generated.length < maxTokens && generated[generated.length - 1] !== model.tokens.eos)
        generated.push(model.tokens.eos);
}
const totalMs = performance.now() - start;
console.log(JSON.stringify({
    prompt_ids: promptIds,
    generated_ids: generated,
    ms: {load: loadMs, prompt_and_first: firstTokenMs, generation: totalMs - firstTokenMs},
}));
await context.dispose();
await model.dispose();
await llama.dispose();
