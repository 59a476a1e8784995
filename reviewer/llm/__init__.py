"""LLM layer: OpenAI-compatible client (via langchain-openai), cache, structured output,
the LLM reviewer (J01–J10) with deterministic guardrails, and drafting of 存在问题/改进措施.

Nothing here is required: with no model configured the reviewer is absent and drafting
falls back to a deterministic template draft.
"""
