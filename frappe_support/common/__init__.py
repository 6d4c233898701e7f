"""What every domain of the app shares."""
