"""The app's pages (`st.navigation`): the map, contributing, moderating, and about the data."""
