// Starts GraphiQL against this server's /graphql, with the README's example
// queries as tabs. Everything it loads comes from this server.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var endpoint = new URL('graphql', document.baseURI).href;
  var fetcher = GraphiQL.createFetcher({ url: endpoint });

  function start(examples) {
    var tabs = examples.map(function (e) { return { query: e.query }; });
    var props = { fetcher: fetcher, defaultEditorToolsVisibility: false };
    if (tabs.length > 0) {
      props.defaultTabs = tabs;
      props.defaultQuery = tabs[0].query;
    }
    ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
  }

  fetch(new URL('graphiql/examples.json', document.baseURI).href)
    .then(function (res) { return res.ok ? res.json() : []; })
    .catch(function () { return []; })
    .then(start);
})();
