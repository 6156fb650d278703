/**
 * Training-stack profiles. The same job needs different peak memory under different fine-tuning stacks;
 * each field below is one such difference, with the library source or documentation it comes from
 * (docs/estimator.md explains them at length). The activation constants (k, the bitsandbytes factor)
 * were fitted on litgpt runs; a profile only changes what a stack demonstrably does differently.
 */

export type Framework = 'hf-peft' | 'litgpt' | 'torchtune' | 'unsloth';
export const FRAMEWORKS: readonly Framework[] = ['hf-peft', 'litgpt', 'torchtune', 'unsloth'];
export const DEFAULT_FRAMEWORK: Framework = 'hf-peft';

export interface FrameworkProfile {
	id: Framework;
	label: string;
	/**
	 * QLoRA: bytes per parameter that is not quantized (embeddings, lm_head, norms). PEFT's
	 * prepare_model_for_kbit_training casts every fp16/bf16 parameter of a k-bit model to fp32.
	 */
	qloraNonQuantizedBytes: 2 | 4;
	/** bytes per logit kept for the loss: 16 standard fp32-upcast cross-entropy, 2 chunked, 0 fused */
	logitBytes: number;
	/** LoRA adapter weights (and their gradients) when the request does not say */
	adapterPrecision: 'fp32' | 'bf16';
	/** gradient checkpoints (each layer's input) held in host RAM instead of GPU memory */
	offloadCheckpoints: boolean;
	/**
	 * Caching-allocator reserve above what tensors occupy, as a fraction of allocated memory: the peak a
	 * user sees in nvidia-smi / torch.cuda.max_memory_reserved.
	 */
	allocatorReserveFraction: number;
	/** each difference → the source URL that shows it */
	sources: { difference: string; url: string }[];
}

/** The fp32 upcast loss of Transformers: bf16 logits 2 + fp32 copy 4 + log-softmax 4 + grads 4 + 2 (constants.ts LOGIT_BYTES). */
const STANDARD_LOGIT_BYTES = 16;
/** torchtune's chunked loss keeps only the bf16 logits; one chunk at a time is upcast. */
const CHUNKED_LOGIT_BYTES = 2;

const PYTORCH_ALLOCATOR =
	'https://pytorch.org/docs/stable/notes/cuda.html#optimizing-memory-usage-with-pytorch-cuda-alloc-conf';
const SDPA =
	'https://pytorch.org/docs/stable/generated/torch.nn.functional.scaled_dot_product_attention.html';

export const FRAMEWORK_PROFILES: Record<Framework, FrameworkProfile> = {
	'hf-peft': {
		id: 'hf-peft',
		label: 'Hugging Face Transformers + PEFT/TRL (also Axolotl, LLaMA-Factory)',
		qloraNonQuantizedBytes: 4,
		logitBytes: STANDARD_LOGIT_BYTES,
		adapterPrecision: 'fp32',
		offloadCheckpoints: false,
		// Variable-length batches (dynamic padding) change allocation sizes every step, which is the
		// fragmentation case PyTorch's allocator notes describe; 10 % is the upper end of the 5–10 % budget.
		allocatorReserveFraction: 0.1,
		sources: [
			{
				difference:
					'QLoRA: prepare_model_for_kbit_training casts all non-quantized (fp16/bf16) parameters to fp32',
				url: 'https://github.com/huggingface/peft/blob/main/src/peft/utils/other.py'
			},
			{
				difference: 'loss: logits upcast to fp32 for the full vocabulary (logits.float())',
				url: 'https://github.com/huggingface/transformers/blob/main/src/transformers/loss/loss_utils.py'
			},
			{
				difference: 'LoRA adapters kept in fp32 (autocast_adapter_dtype=True)',
				url: 'https://github.com/huggingface/peft/blob/main/src/peft/tuners/lora/model.py'
			},
			{
				difference: 'attention: SDPA by default (no s² score storage)',
				url: 'https://huggingface.co/docs/transformers/perf_infer_gpu_one#pytorch-scaled-dot-product-attention'
			},
			{ difference: 'allocator reserve with variable shapes', url: PYTORCH_ALLOCATOR }
		]
	},
	litgpt: {
		id: 'litgpt',
		label: 'Lightning litgpt',
		qloraNonQuantizedBytes: 2,
		// litgpt chunks the lm_head output but autograd keeps every chunk and its fp32 upcast, so the
		// standard accounting applies; the litgpt resource-table rows were fitted with it.
		logitBytes: STANDARD_LOGIT_BYTES,
		adapterPrecision: 'bf16',
		offloadCheckpoints: false,
		allocatorReserveFraction: 0.05,
		sources: [
			{
				difference: 'QLoRA via bitsandbytes on a bf16-true model: non-quantized weights stay bf16',
				url: 'https://github.com/Lightning-AI/litgpt/blob/main/tutorials/finetune_lora.md'
			},
			{
				difference: 'loss: chunked_cross_entropy over lm_head chunks, all kept for backward',
				url: 'https://github.com/Lightning-AI/litgpt/blob/main/litgpt/utils.py'
			},
			{ difference: 'attention: torch SDPA', url: SDPA }
		]
	},
	torchtune: {
		id: 'torchtune',
		label: 'PyTorch torchtune',
		qloraNonQuantizedBytes: 2,
		logitBytes: CHUNKED_LOGIT_BYTES,
		adapterPrecision: 'bf16',
		offloadCheckpoints: false,
		allocatorReserveFraction: 0.05,
		sources: [
			{
				difference: 'loss: CEWithChunkedOutputLoss upcasts one chunk at a time (only bf16 logits held)',
				url: 'https://github.com/pytorch/torchtune/blob/main/torchtune/modules/loss/ce_chunked_output_loss.py'
			},
			{
				difference: 'QLoRA: torchao NF4 linear weights, the rest of the model stays bf16',
				url: 'https://github.com/pytorch/torchtune/blob/main/torchtune/modules/peft/lora.py'
			},
			{ difference: 'attention: torch SDPA', url: SDPA }
		]
	},
	unsloth: {
		id: 'unsloth',
		label: 'Unsloth',
		qloraNonQuantizedBytes: 2,
		logitBytes: 0,
		adapterPrecision: 'bf16',
		offloadCheckpoints: true,
		allocatorReserveFraction: 0.05,
		sources: [
			{
				difference: 'QLoRA: its own prepare_model_for_kbit_training only freezes parameters (no fp32 upcast)',
				url: 'https://github.com/unslothai/unsloth/blob/main/unsloth/models/_utils.py'
			},
			{
				difference: 'loss: fused/cut cross-entropy, the logits are never materialised in global memory',
				url: 'https://arxiv.org/abs/2411.09009'
			},
			{
				difference:
					'use_gradient_checkpointing="unsloth" offloads the checkpointed activations to system RAM',
				url: 'https://unsloth.ai/blog/long-context'
			},
			{
				difference: 'attention: FlashAttention / xformers kernels',
				url: 'https://github.com/unslothai/unsloth'
			}
		]
	}
};

export function frameworkProfile(f: Framework | undefined): FrameworkProfile {
	return FRAMEWORK_PROFILES[f ?? DEFAULT_FRAMEWORK];
}
