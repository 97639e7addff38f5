"""Hand-checked lineage of seeds/: edges that must be in the offline graph, and pairs that must not be linked.

Each expected edge was checked by reading both abstracts (the evidence is quoted
in a comment). Papers are named by the start of their title. Direction follows
the project convention: (u, v) means v builds on, uses or cites u; shares_method
pairs are unordered.
"""

from __future__ import annotations

MENTIONS = [
    ("GaLore: Memory-Efficient", "FRUGAL:"),  # "low-rank gradient projection (GaLore (Zhao et al., 2024))"
    ("GaLore: Memory-Efficient", "Fira:"),  # "decompose gradient matrices (e.g., GaLore)"; "Fira outperforms both LoRA and GaLore"
    ("GaLore: Memory-Efficient", "Natural GaLore:"),  # "Accelerating GaLore"
    ("GaLore: Memory-Efficient", "A Minimalist Optimizer Design"),  # "recent works such as GaLore, Fira, and APOLLO"
    ("GaLore: Memory-Efficient", "Scalable Parameter and Memory Efficient Pretraining"),  # "memory efficient algorithms such as GaLore and Fira"
    ("Fira:", "A Minimalist Optimizer Design"),
    ("Fira:", "Scalable Parameter and Memory Efficient Pretraining"),
    ("APOLLO:", "A Minimalist Optimizer Design"),  # "SCALE outperforms the state-of-the-art method APOLLO"
    ("LISA:", "ScaleBiO:"),  # "a recently proposed memory-efficient training technique called LISA"
    ("Symbolic Discovery of Optimization Algorithms", "Lion Secretly Solves"),  # Lion, the optimizer found by program search
    ("Data Selection for Language Models via Importance", "ZIP-FIT:"),  # "outperforms leading baselines like DSIR"
    ("Megatron-LM:", "ReaLHF:"),  # "heuristic approaches based on Megatron-LM"
    ("Megatron-LM:", "Redco:"),  # "existing model parallel tools, such as Megatron-LM"
    ("ZeRO-Infinity:", "Adding NVMe SSDs"),  # "the state-of-the-art work ZeRO-Infinity suffers from"
    ("MindLLM:", "GEB-1.3B:"),  # "outperforming comparative models such as MindLLM-1.3B"
    # Known misses of the text-only graph (true lineage, recall counts them):
    ("Megatron-LM:", "Using DeepSpeed and Megatron to Train"),  # written 'Megatron', not 'Megatron-LM'
    ("ZeRO:", "ZeRO-Infinity:"),  # an extension named after ZeRO; the longer name wins the match
    ("2D Matryoshka Sentence Embeddings", "Starbucks:"),  # 'the recently proposed 2D Matryoshka training'; no coined name
]

SHARES_METHOD = [
    ("Clover:", "FastDraft:"),  # speculative decoding
    ("SpecTr:", "SpecDec++:"),
    ("Recursive Speculative Decoding", "Towards Optimal Multi-draft Speculative Decoding"),
    ("SpecTr:", "Recursive Speculative Decoding"),
    ("Hardware-Aware Parallel Prompt Decoding", "FastDraft:"),
    ("Sparse MeZO:", "Revisiting Zeroth-Order Optimization"),  # MeZO, zeroth-order optimization
    ("DistZO2:", "Fine-tuning Quantized Neural Networks with Zeroth-order"),
    ("SimPO:", "ASFT:"),  # DPO
    ("SimPO:", "The Hitchhiker's Guide to Human Alignment"),
    ("H_2O:", "LOOK-M:"),  # KV cache
    ("RazorAttention:", "H_2O:"),
    ("RazorAttention:", "LOOK-M:"),
    ("Simple linear attention language models", "Efficient LLM Training and Serving with Heterogeneous"),  # FlashAttention, KV cache
    ("FRUGAL:", "Fira:"),  # both build on GaLore
    ("Natural GaLore:", "FRUGAL:"),
    ("Efficient N:M Sparse DNN Training", "Progressive Gradient Flow for Robust N:M Sparsity"),  # missed: 'N:M structured sparsity'
]

# Pairs a naive matcher would link through a shared word, a dataset or a generic acronym:
# no edge of any kind in either direction. (a, b, kinds) limits the check to those kinds.
MUST_NOT_LINK = [
    ("Sparse Spectral Training", "Multi-Level Knowledge Distillation"),  # 'SST' there is the sentiment dataset
    ("DeepArchitect:", "CORAG:", ("mentions",)),  # MCTS is in both, but it is not DeepArchitect's method
    ("ERNIE-Gram:", "Infini-gram:"),  # n-grams in common, nothing else
    ("Grammar-Aligned Decoding", "GrammarGPT:"),
    ("mGPT:", "DNA-GPT:"),
    ("LISA:", "Layerwise Recurrent Router"),  # 'Layerwise' in both titles
    ("Natural GaLore:", "Linking Emergent and Natural Languages"),
    ("Sparse MeZO:", "Sparse Spectral Training"),
    ("COSMOS:", "A Minimalist Optimizer Design"),  # COSMOS is not named there
    ("Infini-gram:", "Autoregressive Search Engines"),  # both about n-grams over corpora
    ("GaLore: Memory-Efficient", "Sophia:"),  # both optimizers for LLMs, no relation in the text
    ("PanGu-Draw:", "PanGu-π:"),  # one family name, a text-to-image model and an LLM architecture
]
