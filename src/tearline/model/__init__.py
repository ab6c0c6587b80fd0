"""Records, markings and parties: typed values, validated on construction."""
