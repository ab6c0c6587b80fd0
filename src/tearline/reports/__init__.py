"""Documents tearline writes: threat assessments (HTML, PDF, JSON) with charts."""
