// Checks the ARCON ontology files with the OWL API (the library Protégé is
// built on) and HermiT. Compiled at run time by kg/ontology/owlapi.py against
// the OWL API 3.4.3 and HermiT jars that ship with owlready2; never committed
// as a .class file.
//
// Usage: java OwlApiCheck [--map IRI=FILE-URI]... (check FILE... | explain)
//   check    for each file: load it (imports resolved through the --map
//            pairs, never the network), list unparsed triples, run the OWL 2
//            DL profile check, save it as RDF/XML, reload that and compare the
//            axiom sets.
//   explain  load every mapped ontology together, run HermiT, and for an
//            inconsistency or an unsatisfiable class print the axioms that
//            cause it.
// Output: one tab-separated line per finding: KIND <TAB> FILE-or-'-' <TAB> TEXT.

import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.clarkparsia.owlapi.explanation.BlackBoxExplanation;
import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFOntologyFormat;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.io.RDFXMLOntologyFormat;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLDataFactory;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyFormat;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.AddImport;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.reasoner.OWLReasoner;
import org.semanticweb.owlapi.reasoner.OWLReasonerConfiguration;
import org.semanticweb.owlapi.reasoner.OWLReasonerFactory;
import org.semanticweb.owlapi.util.SimpleIRIMapper;
import org.semanticweb.owlapi.vocab.PrefixOWLOntologyFormat;

public class OwlApiCheck {

    private static final Map<IRI, IRI> MAP = new LinkedHashMap<IRI, IRI>();

    public static void main(String[] args) throws Exception {
        int i = 0;
        while (i < args.length && args[i].equals("--map")) {
            String pair = args[i + 1];
            int eq = pair.indexOf('=');
            MAP.put(IRI.create(pair.substring(0, eq)), IRI.create(pair.substring(eq + 1)));
            i += 2;
        }
        String command = args[i++];
        if (command.equals("check")) {
            for (; i < args.length; i++) {
                check(new File(args[i]));
            }
        } else if (command.equals("explain")) {
            try {
                explain();
            } catch (Exception e) {
                emit("ERROR", "-", "HermiT cannot reason over the ontology: " + e);
            }
        } else {
            throw new IllegalArgumentException("unknown command " + command);
        }
        System.out.flush();
    }

    private static void emit(String kind, String file, String text) {
        System.out.println(kind + "\t" + file + "\t" + text.replace('\n', ' ').replace('\t', ' '));
    }

    private static OWLOntologyManager manager() {
        OWLOntologyManager m = OWLManager.createOWLOntologyManager();
        for (Map.Entry<IRI, IRI> e : MAP.entrySet()) {
            m.addIRIMapper(new SimpleIRIMapper(e.getKey(), e.getValue()));
        }
        return m;
    }

    private static void check(File file) {
        String name = file.getName();
        OWLOntology ontology;
        OWLOntologyManager m = manager();
        try {
            ontology = m.loadOntologyFromOntologyDocument(file);
        } catch (Exception e) {
            emit("ERROR", name, "the OWL API cannot load it: " + e.getMessage());
            return;
        }
        emit("LOADED", name, ontology.getAxiomCount() + " axioms");

        OWLOntologyFormat format = m.getOntologyFormat(ontology);
        if (format instanceof RDFOntologyFormat) {
            OWLOntologyLoaderMetaData meta = ((RDFOntologyFormat) format).getOntologyLoaderMetaData();
            if (meta instanceof RDFParserMetaData) {
                Set<String> unparsed = new TreeSet<String>();
                for (RDFTriple t : ((RDFParserMetaData) meta).getUnparsedTriples()) {
                    unparsed.add(t.toString());
                }
                for (String t : unparsed) {
                    emit("UNPARSED", name, t);
                }
            }
        }

        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        Set<String> violations = new TreeSet<String>();
        for (OWLProfileViolation v : report.getViolations()) {
            // The profile is checked over the imports closure; report each
            // violation once, with the module that contains it.
            if (v.getOntologyID() == null || v.getOntologyID().equals(ontology.getOntologyID())) {
                violations.add(v.toString());
            }
        }
        for (String v : violations) {
            emit("PROFILE", name, v);
        }

        roundTrip(name, m, ontology, format);
    }

    private static void roundTrip(String name, OWLOntologyManager m, OWLOntology ontology, OWLOntologyFormat format) {
        try {
            File saved = File.createTempFile("arcon-roundtrip-", ".owl");
            saved.deleteOnExit();
            RDFXMLOntologyFormat rdfxml = new RDFXMLOntologyFormat();
            if (format instanceof PrefixOWLOntologyFormat) {
                rdfxml.copyPrefixesFrom((PrefixOWLOntologyFormat) format);
            }
            m.saveOntology(ontology, rdfxml, IRI.create(saved));
            OWLOntology reloaded = manager().loadOntologyFromOntologyDocument(saved);
            compare(name, "axiom", ontology.getAxioms(), reloaded.getAxioms());
            compare(name, "ontology annotation", ontology.getAnnotations(), reloaded.getAnnotations());
            compare(name, "import", ontology.getImportsDeclarations(), reloaded.getImportsDeclarations());
            if (!ontology.getOntologyID().equals(reloaded.getOntologyID())) {
                emit("ROUNDTRIP", name, "ontology id changed: " + ontology.getOntologyID() + " -> " + reloaded.getOntologyID());
            }
        } catch (Exception e) {
            emit("ROUNDTRIP", name, "cannot save and reload as RDF/XML: " + e);
        }
    }

    private static <T> void compare(String name, String what, Set<T> before, Set<T> after) {
        Set<String> lost = new TreeSet<String>();
        for (T x : before) {
            if (!after.contains(x)) lost.add(x.toString());
        }
        Set<String> gained = new TreeSet<String>();
        for (T x : after) {
            if (!before.contains(x)) gained.add(x.toString());
        }
        for (String s : lost) emit("ROUNDTRIP", name, "lost " + what + ": " + s);
        for (String s : gained) emit("ROUNDTRIP", name, "gained " + what + ": " + s);
    }

    /** HermiT, never throwing on an inconsistent ontology, for the explanation generator. */
    private static final class LenientHermiT implements OWLReasonerFactory {
        private OWLReasoner make(OWLOntology o) {
            Configuration c = new Configuration();
            c.throwInconsistentOntologyException = false;
            return new Reasoner(c, o);
        }
        public String getReasonerName() { return "HermiT"; }
        public OWLReasoner createNonBufferingReasoner(OWLOntology o) { return make(o); }
        public OWLReasoner createReasoner(OWLOntology o) { return make(o); }
        public OWLReasoner createNonBufferingReasoner(OWLOntology o, OWLReasonerConfiguration c) { return make(o); }
        public OWLReasoner createReasoner(OWLOntology o, OWLReasonerConfiguration c) { return make(o); }
    }

    private static void explain() throws Exception {
        OWLOntologyManager m = manager();
        OWLDataFactory df = m.getOWLDataFactory();
        // One ontology whose imports closure is every module, flattened so the
        // explanation generator sees all axioms.
        OWLOntology all = m.createOntology(IRI.create("urn:arcon:all"));
        for (IRI iri : MAP.keySet()) {
            m.loadOntology(iri);
            m.applyChange(new AddImport(all, df.getOWLImportsDeclaration(iri)));
        }
        OWLOntology merged = m.createOntology(IRI.create("urn:arcon:merged"));
        Map<OWLAxiom, String> origin = new HashMap<OWLAxiom, String>();
        for (OWLOntology o : all.getImportsClosure()) {
            if (o == all) continue;
            String file = new File(m.getOntologyDocumentIRI(o).toURI().getPath()).getName();
            for (OWLAxiom ax : o.getLogicalAxioms()) {
                origin.put(ax.getAxiomWithoutAnnotations(), file);
            }
            m.addAxioms(merged, o.getLogicalAxioms());
            for (OWLAxiom ax : o.getAxioms()) {
                if (ax.isOfType(AxiomType.DECLARATION)) m.addAxiom(merged, ax);
            }
        }
        LenientHermiT factory = new LenientHermiT();
        OWLReasoner reasoner = factory.createReasoner(merged);
        if (!reasoner.isConsistent()) {
            emit("INCONSISTENT", "-", "HermiT finds the ontology inconsistent");
            List<OWLAxiom> candidates = new ArrayList<OWLAxiom>(merged.getLogicalAxioms());
            causes(origin, quickXplain(new ArrayList<OWLAxiom>(), false, candidates));
            return;
        }
        List<OWLClass> unsat = new ArrayList<OWLClass>(reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom());
        if (unsat.isEmpty()) {
            emit("CONSISTENT", "-", merged.getLogicalAxiomCount() + " logical axioms");
            return;
        }
        BlackBoxExplanation bb = new BlackBoxExplanation(merged, factory, reasoner);
        for (OWLClass c : unsat) {
            emit("UNSAT", "-", c.getIRI().toString());
            causes(origin, bb.getExplanation(c));
        }
    }

    /** One CAUSE line per axiom, sorted, with the file that states it. */
    private static void causes(Map<OWLAxiom, String> origin, Collection<OWLAxiom> axioms) {
        Map<String, String> lines = new TreeMap<String, String>();
        for (OWLAxiom a : axioms) {
            OWLAxiom bare = a.getAxiomWithoutAnnotations();
            String file = origin.containsKey(bare) ? origin.get(bare) : "-";
            lines.put(bare.toString(), file);
        }
        for (Map.Entry<String, String> e : lines.entrySet()) {
            emit("CAUSE", e.getValue(), e.getKey());
        }
    }

    /** True when HermiT finds this set of axioms consistent. */
    private static boolean consistent(List<OWLAxiom> axioms) throws Exception {
        OWLOntologyManager m = OWLManager.createOWLOntologyManager();
        OWLOntology o = m.createOntology();
        m.addAxioms(o, new HashSet<OWLAxiom>(axioms));
        Configuration c = new Configuration();
        c.throwInconsistentOntologyException = false;
        return new Reasoner(c, o).isConsistent();
    }

    /**
     * A minimal inconsistent subset of background + candidates that keeps all of
     * background (Junker's QuickXplain): O(k log n) reasoner calls for k causes.
     */
    private static List<OWLAxiom> quickXplain(List<OWLAxiom> background, boolean added, List<OWLAxiom> candidates)
            throws Exception {
        if (added && !consistent(background)) return new ArrayList<OWLAxiom>();
        if (candidates.size() == 1) return candidates;
        int half = candidates.size() / 2;
        List<OWLAxiom> first = new ArrayList<OWLAxiom>(candidates.subList(0, half));
        List<OWLAxiom> second = new ArrayList<OWLAxiom>(candidates.subList(half, candidates.size()));
        List<OWLAxiom> withFirst = new ArrayList<OWLAxiom>(background);
        withFirst.addAll(first);
        List<OWLAxiom> fromSecond = quickXplain(withFirst, true, second);
        List<OWLAxiom> withSecond = new ArrayList<OWLAxiom>(background);
        withSecond.addAll(fromSecond);
        List<OWLAxiom> fromFirst = quickXplain(withSecond, !fromSecond.isEmpty(), first);
        List<OWLAxiom> out = new ArrayList<OWLAxiom>(fromFirst);
        out.addAll(fromSecond);
        return out;
    }

}
