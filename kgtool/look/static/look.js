// Draw every kgtool picture of the page: <figure class="kgtool-picture"> holds its view as
// JSON in <script type="application/json" class="kgtool-picture-data">. Vega views run with
// vega.expressionInterpreter (no eval, no Function), so a strict CSP holds.
(function () {
  'use strict';

  function drawVega(view, container) {
    var runtime = vega.parse(view.spec, null, { ast: true });
    var chart = new vega.View(runtime, {
      expr: vega.expressionInterpreter, renderer: 'svg', container: container, hover: true
    });
    return chart.runAsync();
  }

  // Cytoscape.js adds an inline <style> (position: relative for its container) unless an
  // element with this id exists; look.css gives that rule, so a strict CSP holds.
  function markCytoscapeStyled() {
    var id = '__________cytoscape_stylesheet';
    if (!document.getElementById(id)) {
      var marker = document.createElement('meta');
      marker.id = id;
      document.head.appendChild(marker);
    }
  }

  function drawNetwork(view, container) {
    markCytoscapeStyled();
    var cy = cytoscape({
      container: container,
      elements: view.elements,
      layout: { name: 'preset' },
      minZoom: 0.2, maxZoom: 4,
      style: [
        { selector: 'node', style: {
          'background-color': 'data(colour)', width: 'data(size)', height: 'data(size)',
          'border-width': 1, 'border-color': '#ffffff' } },
        { selector: 'node[degree >= 8], node.focus, node.near', style: {
          label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 2,
          'text-outline-color': '#ffffff', 'text-outline-width': 2 } },
        { selector: 'edge', style: {
          'line-color': 'data(colour)', width: 1.2, opacity: 0.55, 'curve-style': 'bezier' } },
        { selector: '.faded', style: { opacity: 0.08 } },
        { selector: 'edge.near', style: { opacity: 0.95, width: 2 } }
      ]
    });
    cy.on('mouseover', 'node', function (event) {
      var near = event.target.closedNeighborhood();
      cy.elements().not(near).addClass('faded');
      near.addClass('near');
      event.target.addClass('focus');
    });
    cy.on('mouseout', 'node', function () {
      cy.elements().removeClass('faded near focus');
    });
    cy.on('tap', 'node[href]', function (event) {
      window.location.assign(event.target.data('href'));
    });
    cy.fit(undefined, 20);
    return Promise.resolve(cy);
  }

  function drawAll() {
    var figures = document.querySelectorAll('figure.kgtool-picture');
    Array.prototype.forEach.call(figures, function (figure) {
      var data = figure.querySelector('script.kgtool-picture-data');
      var container = figure.querySelector('.kgtool-view');
      if (!data || !container) { return; }
      var view = JSON.parse(data.textContent);
      var drawn = view.kind === 'network' ? drawNetwork(view, container)
                                          : drawVega(view, container);
      drawn.then(function () { figure.classList.add('kgtool-drawn'); },
                 function (error) { figure.classList.add('kgtool-failed'); throw error; });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', drawAll);
  } else {
    drawAll();
  }
}());
