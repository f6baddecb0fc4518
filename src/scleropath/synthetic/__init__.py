"""Synthetic data, made through the app's own rules: the demo clinics (``load_demo``) and the
clinic chain at scale for the benchmarks (``generate_chain``).

It sits above every clinical app and imports from all of them; nothing in the app imports it.
"""
