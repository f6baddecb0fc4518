"""A synthetic clinic chain at scale, for measuring the analytics (``generate_chain``)."""
