// fluid-host against llama.cpp (node-llama-cpp) on one model, same machine,
// same thread count, runs alternating so that both see the same load.
// Prints each run and the medians of prompt and generation tok/s.
// usage: node bench-vs-llama.mjs FLUID_HOST MODEL.gguf [THREADS] [RUNS] [TOKENS]
// (run from build/tests/llm/node/, where llama-oracle.mjs and node_modules are)
import {spawnSync} from "node:child_process";
import path from "node:path";
import {fileURLToPath} from "node:url";

const [, , fluidHost, model, threadArg = "2", runArg = "3", tokenArg = "128"] = process.argv;
if (!fluidHost || !model) {
    console.error("usage: node bench-vs-llama.mjs FLUID_HOST MODEL.gguf [THREADS] [RUNS] [TOKENS]");
    process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const prompt = "Once upon a time, the girl walked to the river with her mother";
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function fluid() {
    const r = spawnSync(fluidHost, ["generate", model, prompt, "--tokens", tokenArg, "--threads", threadArg, "--ids",
                                    "--ignore-eos"], {encoding: "utf8"});
    const m = /prompt (\d+) tokens ([\d.]+) tok\/s, generation (\d+) tokens ([\d.]+) tok\/s/.exec(r.stderr);
    if (r.status !== 0 || !m)
        throw new Error(`fluid-host failed: ${r.stderr}`);
    return {prompt: Number(m[2]), generation: Number(m[4])};
}

function llama() {
    const r = spawnSync("node", [path.join(here, "llama-oracle.mjs"), model, prompt, tokenArg, threadArg],
                        {encoding: "utf8"});
    if (r.status !== 0)
        throw new Error(`llama-oracle failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split("\n").pop());
    // The first token's time includes the whole prompt (one batch).
    return {
        prompt: out.prompt_ids.length * 1000 / out.ms.prompt_and_first,
        generation: (out.generated_ids.length - 1) * 1000 / out.ms.generation,
    };
}

const results = {fluid: [], llama: []};
for (let run = 0; run < Number(runArg); ++run) {
    for (const [name, fn] of [["fluid", fluid], ["llama", llama]]) {
        const r = fn();
        results[name].push(r);
        console.log(`run ${run + 1} ${name.padEnd(5)} prompt ${r.prompt.toFixed(2)} tok/s  generation ${r.generation.toFixed(2)} tok/s`);
    }
}
for (const name of ["fluid", "llama"]) {
    const p = median(results[name].map((r) => r.prompt));
    const g = median(results[name].map((r) => r.generation));
    console.log(`median ${name.padEnd(5)} prompt ${p.toFixed(2)} tok/s  generation ${g.toFixed(2)} tok/s  (${threadArg} threads)`);
}
