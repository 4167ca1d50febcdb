"""Social Tech Atlas: data, geocoding and map logic, independent of Streamlit."""

__version__ = "0.1.0"
