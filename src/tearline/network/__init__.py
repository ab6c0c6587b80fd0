"""Link analysis over what one viewer may see (``docs/network.md``).

Pure core: the store reads the viewer's entities, relationships and references through
the policy (``store/network.py``) and hands them over as :class:`~tearline.network.graph.Facts`;
everything here is a function of those facts alone, so two worlds that give a viewer the
same facts give it the same graph, measures, communities, rankings and exports.

* :mod:`graph` — facts → the actor graph (people and organizations), each link with its
  evidence; shared phones, vehicles and addresses and co-occurrence in a seizure become
  links between the actors attached to the same object; resolved entities merge nodes;
* :mod:`measures` — degree, betweenness and eigenvector centrality (igraph), shortest
  paths with each hop's evidence;
* :mod:`communities` — Leiden communities (leidenalg) and brokers between them;
* :mod:`ranking` — a network's heads and mid-level, ranked with the reason;
* :mod:`export` — GraphML and GEXF (Gephi), CSV nodes/edges for i2 Analyst's Notebook.
"""
