"""The Streamlit layer: widgets wired to the pure functions of `atlas`."""
