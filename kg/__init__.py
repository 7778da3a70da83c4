"""kg: a knowledge-graph builder for news about UK children's services.

Data flows one way: files → corpus (Article) → extract (Fact) → resolve (entities)
→ rdf (Graph) → outputs (Turtle, HTML network, SPARQL answers).
"""

from __future__ import annotations

__version__ = "0.1.0"
