/**
 * Every constant of the estimator, each with its source. "§x.y" refers to a section of
 * docs/estimation.md; tags as there: [src] quoted from a source, [calc] derived,
 * [fit] calibrated against the measurements of §1.9/§3, [mem] not re-verified.
 * Units: GB = 1e9 bytes (docs/estimation.md conventions); TFLOPS = 1e12 FLOP/s.
 */

export const BYTES_PER_GB = 1e9;

/**
 * GPU memory is sold in binary units: an "80 GB" A100 reports 81,920 MiB and a "24 GB" RTX 4090
 * 24,564 MiB (docs/providers.md §1.3: vast.ai `gpu_ram` 24564 for the 4090, 81559 for the H100 SXM). So a card of
 * `vramGb` holds vramGb × 2^30 bytes, which we express in GB (1e9). The CUDA context is counted
 * separately (CUDA_CONTEXT_GB).
 */
export const GIB_IN_GB = 2 ** 30 / BYTES_PER_GB;

// ---- §1.2 bytes per parameter of the weights ------------------------------------------------------
/** bf16 / fp16: 2 bytes (§1.2, EleutherAI Transformer Math 101) [src] */
export const BYTES_BF16 = 2;
/** fp32: 4 bytes (§1.2) [src] */
export const BYTES_FP32 = 4;
/** bitsandbytes LLM.int8: 1 byte per linear weight (§1.2; models.json weights_GB_int8 uses the same) [src] */
export const BYTES_INT8 = 1;
/** 4-bit (NF4/FP4) with one fp32 absmax per 64 weights: 0.5 + 4/64 = 0.5625 (§1.2, QLoRA §3) [src] */
export const BYTES_NF4 = 0.5 + 4 / 64;
/** NF4 + double quantization: constants 0.5 → 0.127 bit/param → 0.5159 bytes (§1.2, QLoRA §3) [src] */
export const BYTES_NF4_DQ = 0.5 + (8 / 64 + 32 / (64 * 256)) / 8;

// ---- §1.3 / §1.4 trainable parameters, gradients and optimizer states -------------------------------
/** AdamW: two fp32 states (m, v) = 8 bytes per trainable parameter (§1.4, HF model_memory_anatomy) [src] */
export const ADAMW_STATE_BYTES = 8;
/** 8-bit AdamW (bitsandbytes): 2 bytes per parameter (§1.4, HF docs "quantized Adam → 2 bytes/param") [src] */
export const ADAMW_8BIT_STATE_BYTES = 2;
/**
 * Full fine-tuning in mixed precision keeps an fp32 master copy in the optimizer: +4 bytes/param
 * (§1.4, EleutherAI: AdamW = 12 B/param incl. master; 8-bit optimizer = 6 B) [src]
 */
export const FP32_MASTER_BYTES = 4;
/** Full fine-tuning gradients in bf16: 2 bytes/param (§1.4, EleutherAI "2 weights + 2 grads + 12 AdamW") [src] */
export const FULL_GRADIENT_BYTES = 2;

// ---- §1.5 activations ---------------------------------------------------------------------------------
/**
 * k in A_layer_token = k × 2 bytes × (saved elements per token per layer) for eager PyTorch + SDPA/flash
 * attention stacks (§1.5) [fit: litgpt Llama-2-7B & 13B LoRA rows, both within 0.2 %].
 */
export const ACTIVATION_K = 1.15;
/**
 * QLoRA via bitsandbytes keeps more tensors alive: activations × 1.27 (§1.5)
 * [fit: litgpt/Raschka 7B and 13B nf4 rows, all within 1 %].
 */
export const BNB_QLORA_ACTIVATION_FACTOR = 1.27;
/**
 * Eager attention stores the s×s scores: 5·a·s² bytes per layer per sequence (§1.5, Korthikanti et al.
 * 2022, the 5as/h term) [src]. FlashAttention/SDPA removes it (GPUs whose catalog `flashAttention` is true).
 */
export const EAGER_SCORE_BYTES_PER_ELEMENT = 5;
/**
 * With gradient checkpointing only each layer's input is kept: 2·s·b·h bytes per layer (§1.5,
 * Korthikanti "full recomputation: 2sbhL"; HF transformers PR "layers × seq × hidden × 2 bytes") [src]
 */
export const CHECKPOINT_BYTES_PER_HIDDEN = 2;
/**
 * Logits and loss of a standard (HF transformers) cross-entropy: bf16 logits 2 + fp32 upcast 4 + fp32
 * log-softmax 4 + fp32 gradient 4 + bf16 gradient 2 = 16 bytes per logit. §1.5 counts 2 + 4 + 4 = 10;
 * the extra 6 are what Unsloth's HF + FlashAttention-2 max-context column (§3 #27, 128k vocabulary)
 * needs: at 48 → 80 GB each extra token costs 2.65 MB, of which the logits are 2.05 MB at 16 bytes
 * [calc + fit]. On the 32k-vocabulary litgpt rows the difference is ≤ 1.3 %.
 */
export const LOGIT_BYTES = 2 + 4 + 4 + 4 + 2;
/**
 * A chunked/fused cross-entropy (torchtune CEWithChunkedOutputLoss, Liger, Unsloth CCE) keeps only the
 * bf16 logits and upcasts one chunk at a time: 2 bytes per logit (§1.5) [calc]
 */
export const CHUNKED_LOGIT_BYTES = 2;
/**
 * Serving activations besides the KV cache: s·(5h·2) bytes per sequence (+ s²·a·2 with eager attention)
 * (§1.8, gpu_poor's inference formula) [src]
 */
export const INFERENCE_ACTIVATION_HIDDEN_MULTIPLE = 5;
export const INFERENCE_EAGER_SCORE_BYTES = 2;

// ---- §1.7 fixed overheads -------------------------------------------------------------------------------
/** CUDA context + kernels: gpu_poor's flat 650 MB (§1.7; measured range 0.3–2 GiB) [src] */
export const CUDA_CONTEXT_GB = 0.65;
/**
 * Allocator caching/fragmentation on top of max_memory_allocated: budget +5–10 % (§1.7) [src];
 * we take the low end because the activation constants are already conservative for compiled stacks.
 */
export const ALLOCATOR_OVERHEAD_FRACTION = 0.05;

// ---- uncertainty band ----------------------------------------------------------------------------------
/**
 * The memory band: measured ÷ predicted peak over every memory row the calibration claims
 * (calibration.ts, all frameworks, fitted and held-out rows alike) spans 0.875 (torchtune's compiled
 * QLoRA, over-predicted) to 1.092 (litgpt's nf4-dq inference, under-predicted). The band applies that
 * envelope, rounded outward to the next hundredth, to the allocated memory: a measured peak anywhere in
 * the calibration set would fall inside it. tests/estimator/band.test.ts recomputes the envelope and
 * fails when a refit moves it outside these bounds (or leaves them more than 0.03 too wide).
 */
export const MEMORY_BAND_LOW = 0.87;
export const MEMORY_BAND_HIGH = 1.1;

// ---- §2 time ------------------------------------------------------------------------------------------
/**
 * Hardware-FLOPs utilisation (matmul FLOPs actually executed, recomputation included, over the GPU's
 * dense BF16/FP16 peak) of a tuned training stack: 0.60. [fit, §2.3] MPT-7B full training without
 * activation checkpointing reached 64.2 % on 8×A100-80GB (llm-foundry); torchtune's Llama-3.1-8B full
 * fine-tune with checkpointing 64 % HFU on a 4090; Llama-3.1-70B LoRA on 8×A100 40 % MFU = 60 % HFU.
 * Equivalently the defaults of docs/estimation.md §2.3: full FT 45 % MFU and LoRA 40 % MFU with checkpointing.
 */
export const HARDWARE_FLOPS_UTILISATION = 0.6;
/**
 * Hopper-and-newer datacenter parts (peak ≥ 700 TFLOPS dense BF16) reach ~0.75× the A100's utilisation:
 * un-tuned kernels do not scale with the higher peak (§2.3, MosaicML MPT-7B: 46.4 / 64.2 = 0.72) [calc].
 */
export const HIGH_PEAK_UTILISATION_FACTOR = 0.75;
export const HIGH_PEAK_MIN_TFLOPS = 700;
/**
 * QLoRA with bitsandbytes dequantizes every frozen weight in forward and backward: 1.5× the LoRA time on
 * the same GPU (§2.2: Raschka 7B nf4 1.50×, litgpt 7B 1.56×; default 1.4–1.6×) [src, ratio calc]
 */
export const QLORA_SLOWDOWN = 1.5;
/**
 * Decode reads every weight (and the KV cache) once per step: tokens/s ≈ η·bandwidth/bytes (§2.5).
 * η = 0.82 [fit: one row, vLLM 0.23 Llama-3.1-8B bf16 on an A100-40GB at concurrency 1, 1,024-token
 * prompts and 128-token outputs, 75 output tok/s (https://johnmusgrave.com/p/vllm-throughput-latency-sweep-on);
 * with the prefill of each prompt counted, η = 0.82 reproduces it]. Held out: the same sweep at concurrency 8
 * and an H100 decode at concurrency 1 (calibration.ts). Was 0.6, the low end of the 0.6–0.8 of docs/estimation.md §2.5.
 */
export const DECODE_BANDWIDTH_EFFICIENCY = 0.82;

// ---- §1.1 parameter counting ----------------------------------------------------------------------------
/** Norm weights per layer: two RMSNorm/LayerNorm vectors of h (§1.1 formula "+ 2h") [calc] */
export const NORMS_PER_LAYER = 2;

// ---- multi-GPU ------------------------------------------------------------------------------------------
/**
 * ZeRO-3/FSDP gathers the full weights of the layer being computed and prefetches the next one: two
 * layers of unsharded weights live on every GPU at once [calc; FSDP's default forward/backward prefetch].
 */
export const ZERO3_GATHERED_LAYERS = 2;

/** Data-parallel counts shown in fit tables (one machine of 1, 2, 4 or 8 GPUs). */
export const FIT_GPU_COUNTS = [1, 2, 4, 8] as const;
